from . import cobranza_aging_report
from . import cobranza_kpi_dashboard_report
