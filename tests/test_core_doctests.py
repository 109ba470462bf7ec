"""Run the doctests (the worked examples) of the core modules of this suite."""

import doctest
import importlib

import pytest

MODULES = (
    "cobranza_core.money",
    "cobranza_core.installments",
    "cobranza_core.allocation",
    "cobranza_core.kpi",
    "cobranza_core.dashboard",
    "cobranza_core.rule_form",
    "cobranza_core.cases",
    "cobranza_core.certified",
    "cobranza_core.chunks",
    "cobranza_core.channels",
    "cobranza_core.compliance",
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert result.attempted > 0, f"{name} has no doctest"
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
