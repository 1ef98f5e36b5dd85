"""The mail and API steps' test project: one made-up product whose app is mail_api_app.py."""

from __future__ import annotations

from mail_api_products import PRODUCTS

from harness.lifecycle import Lifecycle

_lifecycle = Lifecycle(PRODUCTS)

before_all = _lifecycle.before_all
before_feature = _lifecycle.before_feature
before_scenario = _lifecycle.before_scenario
after_step = _lifecycle.after_step
after_scenario = _lifecycle.after_scenario
after_all = _lifecycle.after_all
