from . import test_core_bridge
from . import test_followup_levels
from . import test_followup_run
from . import test_policy_config
from . import test_security
from . import test_kpi_dashboard
