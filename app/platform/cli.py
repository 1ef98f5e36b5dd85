"""Start-up of a product's app: ``python -m app.<product> --host 127.0.0.1 --port 8123``."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

import uvicorn

from app.platform.product import AppProduct
from app.platform.settings import Settings, SettingsError, load_settings
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
    uvicorn.run(
        create_app(product, settings), host=args.host, port=args.port, **server_options(settings)
    )
    return 0


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options: the app writes the access log itself (app/platform/access_log.py,
    without query strings), no Server header, and X-Forwarded-For believed only from the
    proxies APP_TRUSTED_PROXIES names (uvicorn would trust 127.0.0.1 by default)."""
    trusted = ",".join(settings.trusted_proxies)
    return {
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
    }
