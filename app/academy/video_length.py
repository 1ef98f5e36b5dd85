"""How long a WebM (Matroska) video plays: the Duration of its Segment Info, in seconds.

Read from the file the academy serves, so the length the video rule counts with is always the
video's own. Only the few EBML elements on the way to Info are read.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

_EBML = 0x1A45DFA3
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_TIMECODE_SCALE = 0x2AD7B1
_DURATION = 0x4489
_DEFAULT_SCALE_NS = 1_000_000
_HEAD_BYTES = 64 * 1024  # Info comes before the first cluster in any muxer's output


class NoVideoLength(ValueError):
    """The file is not a WebM video with a duration; the message names it."""


def _vint(data: bytes, at: int, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at ``at``: (value, position after it)."""
    if at >= len(data) or data[at] == 0:
        raise NoVideoLength(f"a malformed EBML number at byte {at}")
    width = 8 - data[at].bit_length() + 1
    if at + width > len(data):
        raise NoVideoLength(f"an EBML number cut short at byte {at}")
    value = data[at] if keep_marker else data[at] & (0xFF >> width)
    for byte in data[at + 1 : at + width]:
        value = (value << 8) | byte
    return value, at + width


def _elements(data: bytes, start: int, end: int):
    at = start
    while at < end:
        element_id, at = _vint(data, at, keep_marker=True)
        size, at = _vint(data, at, keep_marker=False)
        yield element_id, at, min(at + size, end)
        at += size


def seconds_of(data: bytes) -> float:
    """The duration of the WebM video whose first bytes are ``data``."""
    for element_id, start, end in _elements(data, 0, len(data)):
        if element_id == _EBML:
            continue
        if element_id != _SEGMENT:
            break
        for child_id, child_start, child_end in _elements(data, start, end):
            if child_id == _INFO:
                return _duration(data[child_start:child_end])
    raise NoVideoLength("no Segment Info in the video's first bytes")


def _duration(info: bytes) -> float:
    scale, duration = _DEFAULT_SCALE_NS, None
    for element_id, start, end in _elements(info, 0, len(info)):
        if element_id == _TIMECODE_SCALE:
            scale = int.from_bytes(info[start:end], "big")
        elif element_id == _DURATION:
            duration = struct.unpack(">f" if end - start == 4 else ">d", info[start:end])[0]
    if duration is None or not duration > 0:
        raise NoVideoLength("the video's Segment Info has no duration")
    return duration * scale / 1e9


@lru_cache(maxsize=32)
def video_seconds(path: Path) -> float:
    """The length of the video file at ``path`` (read once per file)."""
    with path.open("rb") as video:
        head = video.read(_HEAD_BYTES)
    try:
        return seconds_of(head)
    except NoVideoLength as problem:
        raise NoVideoLength(f"{path}: {problem}") from None
