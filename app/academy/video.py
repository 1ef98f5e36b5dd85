"""The video rule: a module is completed only after its video was played through to the end.

The academy serves a module's video itself (GET .../video), and records the first serving to
the student's session (VideoServings). The page reports the end from the player's `ended` event
(POST .../video-finished); the end is recorded (VideoViews) only when the video was served to
that session, at least its length (less a small grace) before. Mark-complete asks
``video_problem`` about the VideoViews row.
"""

from __future__ import annotations

from pathlib import Path

VIDEO_FOLDER = Path(__file__).resolve().parent / "static"
WATCH_FIRST = "Watch the video to the end first."
NOT_SERVED = "The video's end was not recorded: play the video on its module's page first."
TOO_SOON = "The video's end was not recorded: play the video through to its end."


class VideoEndRefused(Exception):  # noqa: N818 - a refusal shown to the student
    """The reported end of a video is not believed; the message says why."""


def video_problem(finished: bool) -> str | None:
    """Why the module cannot be completed yet as far as its video goes, else None."""
    return None if finished else WATCH_FIRST


def video_end_problem(played_ms: int | None, least_seconds: float) -> str | None:
    """Why a reported end is not believed: the video was never served to the session
    (``played_ms`` None), or less time than it takes to play has passed since; else None."""
    if played_ms is None:
        return NOT_SERVED
    if played_ms < least_seconds * 1000:
        return TOO_SOON
    return None


def video_url(module_path: str) -> str:
    """Where the module page loads its video: the academy serves it, and records that."""
    return module_path + "/video"


def video_file(video_path: str) -> Path:
    """The file CourseModules.VideoPath names in the academy's video folder."""
    path = (VIDEO_FOLDER / video_path).resolve()
    if not path.is_relative_to(VIDEO_FOLDER) or not path.is_file():
        raise FileNotFoundError(f"no video {video_path!r} in {VIDEO_FOLDER}")
    return path
