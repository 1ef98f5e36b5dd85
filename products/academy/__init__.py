"""The e-learning academy: courses module by module, quizzes, an assignment, a certificate."""

from __future__ import annotations

from harness.products import Product

PRODUCT = Product(
    name="academy",
    title="E-learning academy",
    databases=("academy",),
    app_module="app.academy",
    aliases={},
    steps=("steps/academy",),
    pages="pages.academy",
    queries="queries.academy",
)
