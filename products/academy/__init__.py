"""The e-learning academy: courses module by module, quizzes, an assignment, a certificate."""

from __future__ import annotations

from harness.products import Product

PRODUCT = Product(
    name="academy",
    title="E-learning academy",
    databases=("academy",),
    app_module="app.academy",
    aliases={},
    steps=(
        "steps/academy.py",
        "steps/academy_modules.py",
        "steps/academy_quizzes.py",
        "steps/academy_assignments.py",
        "steps/academy_certificates.py",
        "steps/academy_smoke.py",
        "steps/academy_security.py",
    ),
    pages="pages.academy",
    queries="queries.academy",
)
