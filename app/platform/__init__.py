"""What every reference app shares: web wiring, Spanner access, settings, login, mail, health.

A product plugs in with an ``AppProduct`` declaration (app/platform/product.py).
"""
