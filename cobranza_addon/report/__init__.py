from . import cobranza_aging_report
from . import cobranza_kpi_dashboard_report
from . import cobranza_letter_report
from . import cobranza_payment_plan_report
from . import cobranza_statement_report
from . import ir_actions_report
from . import cobranza_certified_letter_report
