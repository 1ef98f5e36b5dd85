"""Start-up of a product's app: ``python -m app.<product> --host 127.0.0.1 --port 8123``."""

from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from app.platform.product import AppProduct
from app.platform.settings import SettingsError, load_settings
from app.platform.web import create_app


def main(product: AppProduct, prog: str, argv: list[str] | None = None) -> int:
    """Read the settings from the environment and serve the app until interrupted."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"Serve {product.title} over HTTP; settings come from the environment.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    try:
        settings = load_settings(product, host=args.host, port=args.port)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(create_app(product, settings), host=args.host, port=args.port, log_config=None)
    return 0
