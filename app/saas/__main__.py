"""``python -m app.saas --host 127.0.0.1 --port 8123``"""

from __future__ import annotations

import sys

from app.platform.cli import main
from app.saas.product import PRODUCT

if __name__ == "__main__":
    sys.exit(main(PRODUCT, prog="python -m app.saas"))
