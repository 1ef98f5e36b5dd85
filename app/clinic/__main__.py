"""``python -m app.clinic --host 127.0.0.1 --port 8123``"""

from __future__ import annotations

import sys

from app.clinic.product import PRODUCT
from app.platform.cli import main

if __name__ == "__main__":
    sys.exit(main(PRODUCT, prog="python -m app.clinic"))
