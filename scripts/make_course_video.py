"""Make the academy's course videos in app/academy/static (committed).

A module page plays a real HTML5 video, and the page reports its end from the player's
`ended` event. The file is small on purpose: a few seconds of ffmpeg's test pattern, VP8 in
WebM (what Debian's Chromium plays), no sound, a few KB. It was made once with this script;
run it again only to change the video:

    python3 -m venv /tmp/video-venv
    /tmp/video-venv/bin/pip install imageio-ffmpeg   # a wheel with its own ffmpeg binary
    /tmp/video-venv/bin/python scripts/make_course_video.py             # course-video.webm, 4 s
    /tmp/video-venv/bin/python scripts/make_course_video.py --seconds 2 \
        --output app/academy/static/course-video-2s.webm

module-01 plays the 4-second video: the rule that a video's end is believed only after the video
played its length is told on it (features/academy_security.feature). The other modules play the
2-second one, so a student who works through the whole course waits 4 + 4 x 2 seconds, not 20;
2 seconds is still longer than the academy's grace (APP_VIDEO_END_GRACE_SECONDS, 1 s), so their
ends too are believed only after the video had time to play.

imageio-ffmpeg is not in requirements.txt: nothing in the suite or the app runs ffmpeg.
course-video.webm was made with imageio-ffmpeg 0.8.1 (ffmpeg 9.0.2), course-video-2s.webm with
imageio-ffmpeg 0.6.0.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "app" / "academy" / "static" / "course-video.webm"
SECONDS = 4
SIZE = "160x90"
FRAMES_PER_SECOND = 10


def command(ffmpeg: str, output: Path, seconds: int = SECONDS) -> list[str]:
    return [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={SIZE}:rate={FRAMES_PER_SECOND}:duration={seconds}",
        "-an",                       # no audio track: the page may play it without a gesture
        "-c:v", "libvpx", "-b:v", "12k", "-crf", "40", "-deadline", "good",
        "-g", str(FRAMES_PER_SECOND * seconds),
        "-metadata", "title=Academy course video (test pattern)",
        str(output),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--seconds", type=int, default=SECONDS, help="how long the video plays")
    args = parser.parse_args(argv)
    try:
        import imageio_ffmpeg
    except ImportError:
        print("needs imageio-ffmpeg: see this script's docstring", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(command(imageio_ffmpeg.get_ffmpeg_exe(), args.output, args.seconds), check=True)
    print(f"{args.output}: {args.output.stat().st_size} bytes, {args.seconds} s, VP8/WebM {SIZE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
