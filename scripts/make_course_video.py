"""Make the academy's course video, app/academy/static/course-video.webm (committed).

A module page plays a real HTML5 video, and the page reports its end from the player's
`ended` event. The file is small on purpose: a few seconds of ffmpeg's test pattern, VP8 in
WebM (what Debian's Chromium plays), no sound, a few KB. It was made once with this script;
run it again only to change the video:

    python3 -m venv /tmp/video-venv
    /tmp/video-venv/bin/pip install imageio-ffmpeg   # a wheel with its own ffmpeg binary
    /tmp/video-venv/bin/python scripts/make_course_video.py

imageio-ffmpeg is not in requirements.txt: nothing in the suite or the app runs ffmpeg.
The file was made with imageio-ffmpeg 0.8.1 (ffmpeg 9.0.2).
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


def command(ffmpeg: str, output: Path) -> list[str]:
    return [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={SIZE}:rate={FRAMES_PER_SECOND}:duration={SECONDS}",
        "-an",                       # no audio track: the page may play it without a gesture
        "-c:v", "libvpx", "-b:v", "12k", "-crf", "40", "-deadline", "good",
        "-g", str(FRAMES_PER_SECOND * SECONDS),
        "-metadata", "title=Academy course video (test pattern)",
        str(output),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        import imageio_ffmpeg
    except ImportError:
        print("needs imageio-ffmpeg: see this script's docstring", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(command(imageio_ffmpeg.get_ffmpeg_exe(), args.output), check=True)
    print(f"{args.output}: {args.output.stat().st_size} bytes, {SECONDS} s, VP8/WebM {SIZE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
