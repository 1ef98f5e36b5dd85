"""Lift a person's sign-in lock (too many wrong passwords in a row) from the command line,
after checking who asks, outside the app; settings come from the environment:

    python -m app.academy.unlock someone@example.com

The platform's call does the work (app/platform/unlock.py)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from app.academy.product import PRODUCT
from app.platform import unlock


def main(argv: Sequence[str] | None = None) -> int:
    return unlock.main(
        PRODUCT, "python -m app.academy.unlock", None if argv is None else list(argv)
    )


if __name__ == "__main__":
    sys.exit(main())
