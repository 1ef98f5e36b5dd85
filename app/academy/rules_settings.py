"""The academy's business rules that are settings, read once from the environment:
APP_QUIZ_ATTEMPTS (how many attempts a quiz allows a student; default 3) and
APP_VIDEO_END_GRACE_SECONDS (how much sooner than the video's length after it was served its
end may be reported; default 1 s, for the player's start and the network)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request

from app.platform.settings import SettingsError

QUIZ_ATTEMPTS = "APP_QUIZ_ATTEMPTS"
VIDEO_END_GRACE = "APP_VIDEO_END_GRACE_SECONDS"
SERVICE = "academy_rules"


@dataclass(frozen=True)
class AcademyRules:
    quiz_attempts: int = 3
    video_end_grace_seconds: float = 1.0


def load_rules(env: Mapping[str, str] | None = None) -> AcademyRules:
    env = os.environ if env is None else env
    defaults = AcademyRules()
    attempts = env.get(QUIZ_ATTEMPTS, str(defaults.quiz_attempts))
    if not attempts.isascii() or not attempts.isdigit() or not 1 <= int(attempts) <= 100:
        raise SettingsError(f"{QUIZ_ATTEMPTS} must be a whole number 1-100, got {attempts!r}")
    grace = env.get(VIDEO_END_GRACE, str(defaults.video_end_grace_seconds))
    try:
        seconds = float(grace)
    except ValueError:
        seconds = float("nan")
    if not 0 <= seconds <= 60:
        raise SettingsError(f"{VIDEO_END_GRACE} must be seconds from 0 to 60, got {grace!r}")
    return AcademyRules(quiz_attempts=int(attempts), video_end_grace_seconds=seconds)


def services() -> Mapping[str, object]:
    return {SERVICE: load_rules()}


def rules_of(request: Request) -> AcademyRules:
    """The app's rules (the defaults when the app was built without the academy's services)."""
    return getattr(request.app.state, SERVICE, None) or AcademyRules()
