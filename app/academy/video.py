"""The video rule: a module is completed only after its video was reported played to the end.

The module page reports the end from the player's `ended` event (POST .../video-finished),
which records a VideoViews row; mark-complete asks ``video_problem`` about that row.
"""

from __future__ import annotations

STATIC_PREFIX = "/static/"
WATCH_FIRST = "Watch the video to the end first."


def video_problem(finished: bool) -> str | None:
    """Why the module cannot be completed yet as far as its video goes, else None."""
    return None if finished else WATCH_FIRST


def video_url(video_file: str) -> str:
    """Where the page loads the video: CourseModules.VideoPath names a file of the app's
    static folder (course-video.webm)."""
    return STATIC_PREFIX + video_file
