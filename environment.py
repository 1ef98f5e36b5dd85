"""The run's lifecycle, and nothing else: behave's hooks, bound to this project's products.

What each hook does is in harness/lifecycle.py; the products are declared in products/.
"""

from __future__ import annotations

import products.step_types  # noqa: F401  (every parse type, registered before behave loads a step file)
from harness.lifecycle import Lifecycle
from products import PRODUCTS

_lifecycle = Lifecycle(PRODUCTS)

before_all = _lifecycle.before_all
before_feature = _lifecycle.before_feature
before_scenario = _lifecycle.before_scenario
after_step = _lifecycle.after_step
after_scenario = _lifecycle.after_scenario
after_all = _lifecycle.after_all
