{
    "name": "Cobranza: delivery on queue_job",
    "summary": "Deliver collection runs, deferred sends and KPI snapshots as "
    "queue jobs shared by several Odoo workers",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Cobranza,Odoo Community Association (OCA)",
    "website": "https://github.com/cobranza/cobranza",
    "maintainers": ["cobranza"],
    "development_status": "Beta",
    "depends": ["cobranza_addon", "queue_job"],
    "data": ["data/queue_job_data.xml"],
    "auto_install": True,
    "installable": True,
}
