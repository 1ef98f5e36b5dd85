"""The academy reads a video's length from the WebM file it serves (app/academy/video_length.py):
the Duration of the Segment's Info, in its TimecodeScale. A file that does not say its length
plainly gives none (NoVideoLength, naming the file), never a wrong one: the video rule would then
believe an end reported too soon.

The videos here are made byte by byte, as small as EBML allows, so each edge is the only thing
that differs from a video whose length is read.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from app.academy.video_length import NoVideoLength, seconds_of, video_seconds

EBML, DOC_TYPE = 0x1A45DFA3, 0x4282
SEGMENT, INFO, CLUSTER = 0x18538067, 0x1549A966, 0x1F43B675
TIMECODE_SCALE, DURATION, VOID = 0x2AD7B1, 0x4489, 0xEC
DATE_UTC, PREV_UID = (
    0x4461,
    0x3CB923,
)  # Info elements whose ids sort below Duration, above the scale


def size(length: int) -> bytes:
    """``length`` as an EBML size: one byte up to 126, else two."""
    return bytes([0x80 | length]) if length < 0x7F else (0x4000 | length).to_bytes(2, "big")


def element(element_id: int, payload: bytes) -> bytes:
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big") + size(len(payload))


def whole(element_id: int, payload: bytes) -> bytes:
    return element(element_id, payload) + payload


def ebml_header() -> bytes:
    return whole(EBML, whole(DOC_TYPE, b"webm"))


def info(duration: bytes, scale_ns: int | None = 1_000_000, tail: bytes = b"") -> bytes:
    scale = b"" if scale_ns is None else whole(TIMECODE_SCALE, scale_ns.to_bytes(3, "big"))
    return whole(INFO, scale + duration + tail)


def webm(*segment_children: bytes) -> bytes:
    return ebml_header() + whole(SEGMENT, b"".join(segment_children))


def duration_of(seconds: float, scale_ns: int = 1_000_000, fmt: str = ">d") -> bytes:
    return whole(DURATION, struct.pack(fmt, seconds * 1e9 / scale_ns))


def test_the_length_is_the_duration_counted_in_the_timecode_scale() -> None:
    assert seconds_of(webm(info(duration_of(4.0)))) == 4.0
    # the same four seconds counted in tenths of a millisecond: 40,000 ticks of 100 µs
    assert seconds_of(webm(info(duration_of(4.0, 100_000), scale_ns=100_000))) == 4.0
    # no TimecodeScale: Matroska's default, the millisecond
    assert seconds_of(webm(info(duration_of(4.0), scale_ns=None))) == 4.0


def test_a_duration_written_as_a_four_byte_float_is_read() -> None:
    # libwebm and browsers' MediaRecorder write the Duration as a 4-byte float, ffmpeg as 8
    assert seconds_of(webm(info(duration_of(2.5, fmt=">f")))) == 2.5
    # wherever it starts in the Info: first (its value at the Info's third byte), after padding
    four_bytes = duration_of(2.5, fmt=">f")
    assert seconds_of(webm(info(four_bytes, scale_ns=None))) == 2.5
    assert seconds_of(webm(whole(INFO, whole(VOID, b"") + four_bytes))) == 2.5


def test_a_duration_of_a_single_tick_is_a_length() -> None:
    # the Duration counts ticks of the TimecodeScale: one tick of 10 ms is a length of 0.01 s
    one_tick = whole(DURATION, struct.pack(">d", 1.0))
    assert seconds_of(webm(info(one_tick, scale_ns=10_000_000))) == 0.01


@pytest.mark.parametrize(
    "duration",
    [b"", duration_of(0.0), duration_of(-4.0), whole(DURATION, struct.pack(">d", float("nan")))],
    ids=["no-duration", "zero", "negative", "not-a-number"],
)
def test_a_video_that_does_not_state_a_length_above_zero_has_none(duration: bytes) -> None:
    # a length of 0 would believe an end reported the moment the video was served
    with pytest.raises(NoVideoLength, match="no duration"):
        seconds_of(webm(info(duration)))


def test_padding_that_ends_the_bytes_read_is_read_past() -> None:
    # an empty Void element, whose size is the very last byte: a number ending at the end
    video = webm(info(duration_of(4.0), tail=whole(VOID, b"")))
    assert video.endswith(b"\xec\x80")
    assert seconds_of(video) == 4.0


@pytest.mark.parametrize(
    "video",
    [
        # cut right after the Segment's name, before its size
        ebml_header() + SEGMENT.to_bytes(4, "big"),
        # cut in the middle of a two-byte size, at the end of the Segment Info
        webm(info(duration_of(4.0), tail=b"\xec\x40")),
        # a size whose first byte is zero has no length marker: not an EBML number
        ebml_header()
        + SEGMENT.to_bytes(4, "big")
        + b"\x00"
        + len(info(duration_of(4.0))).to_bytes(8, "big")
        + info(duration_of(4.0)),
    ],
    ids=["cut-after-a-name", "cut-inside-a-size", "size-without-marker"],
)
def test_a_video_cut_short_or_malformed_has_no_length(video: bytes) -> None:
    with pytest.raises(NoVideoLength, match="EBML number"):
        seconds_of(video)


@pytest.mark.parametrize("stray_id", [CLUSTER, VOID], ids=["cluster", "void"])
def test_only_a_segment_after_the_ebml_header_is_read(stray_id: int) -> None:
    # WebM holds its header and one Segment; a file with anything else first is another kind
    # of file, and nothing after it is taken for the video's length (a Cluster's id is above
    # the Segment's, a Void's below it)
    stray = whole(stray_id, b"\x00" * 8)
    with pytest.raises(NoVideoLength, match="no Segment Info"):
        seconds_of(ebml_header() + stray + whole(SEGMENT, info(duration_of(4.0))))


def test_the_segments_other_elements_are_passed_over() -> None:
    # a Cluster (id above the Info's) before the Info, and in the Info a DateUTC (id below the
    # Duration's) and a PrevUID (id above the TimecodeScale's): none is read as the length
    before = whole(CLUSTER, b"\x00" * 4)
    others = whole(DATE_UTC, b"\x00" * 8) + whole(PREV_UID, b"\x07" * 16)
    assert seconds_of(webm(before, info(duration_of(4.0), tail=others))) == 4.0


def test_a_segment_that_runs_past_the_bytes_read_without_an_info_has_no_length() -> None:
    # the head of a longer file: the Segment says it is longer than the bytes read, and they
    # hold no Info; reading stops at their end instead of taking what follows for a number
    cluster = whole(CLUSTER, b"\x00" * 8)
    video = ebml_header() + SEGMENT.to_bytes(4, "big") + size(len(cluster) + 50) + cluster
    with pytest.raises(NoVideoLength, match="no Segment Info"):
        seconds_of(video)


def test_a_file_without_a_length_is_named_in_the_refusal(tmp_path: Path) -> None:
    not_a_video = tmp_path / "lesson.webm"
    not_a_video.write_bytes(ebml_header() + whole(SEGMENT, whole(CLUSTER, b"\x00" * 8)))
    with pytest.raises(NoVideoLength) as refusal:
        video_seconds(not_a_video)
    assert str(refusal.value) == f"{not_a_video}: no Segment Info in the video's first bytes"
