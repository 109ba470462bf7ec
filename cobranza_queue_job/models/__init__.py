from . import cobranza_run
from . import cobranza_kpi_snapshot
