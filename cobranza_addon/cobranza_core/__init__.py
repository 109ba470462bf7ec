"""Pure business rules of Cobranza.

Standard library only: this package must never import ``odoo``. It is imported
by the Odoo models as ``odoo.addons.cobranza_addon.cobranza_core`` and by the
pure test-suite as the top-level package ``cobranza_core`` (see ``tests/``).
Only relative imports are allowed inside the package.
"""
