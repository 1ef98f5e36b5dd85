"""Living documentation for product owners: one self-contained HTML page per run.

products (their declarations) → features → rules and scenarios in their Gherkin words, each with
its last status from the run's Allure results, and each product's mutation score.
`python -m harness.living_docs --results reports/allure-results --out PAGE.html`
"""
