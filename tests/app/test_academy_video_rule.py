"""The video rule's edges a browser cannot reach (app/academy/video.py): an end reported exactly
the video's length (less the grace) after it was served counts, a millisecond sooner does not;
and the academy serves a module's video only from its own video folder, a file that is there."""

from __future__ import annotations

import pytest

from app.academy.video import NOT_SERVED, TOO_SOON, VIDEO_FOLDER, video_end_problem, video_file


def test_an_end_reported_at_least_the_video_s_length_after_serving_counts() -> None:
    # Spanner's clock counts milliseconds: a browser cannot report at an exact one
    assert video_end_problem(3_000, 3.0) is None
    assert video_end_problem(2_999, 3.0) == TOO_SOON
    assert video_end_problem(60_000, 3.0) is None
    assert video_end_problem(None, 3.0) == NOT_SERVED


def test_a_module_s_video_is_a_file_of_the_video_folder() -> None:
    assert video_file("course-video.webm") == VIDEO_FOLDER / "course-video.webm"


@pytest.mark.parametrize(
    "video_path",
    ["no-such-video.webm", "../video.py", str(VIDEO_FOLDER.parent / "video.py"), "."],
    ids=["missing", "outside-the-folder", "absolute-outside", "the-folder-itself"],
)
def test_no_other_file_is_served_as_a_module_s_video(video_path: str) -> None:
    with pytest.raises(FileNotFoundError):
        video_file(video_path)
