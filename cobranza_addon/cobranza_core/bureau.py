"""Credit-bureau reporting: bureaus, export rows, update and retention limits.

Standard library only. Reference notes, NOT legal advice: the waiting
periods before a report are compliance rules (``waiting_period`` rules with
``action_kinds: ["bureau_report"]``: CO-HD-NOTICE, ES-SIC, US-CREDIT,
AR-DATA), checked by ``compliance.evaluate``; this module holds the rest.

Bureaus
=======

``BUREAUS``: the bureaus (credit bureaus and debtor files) collection teams
commonly report to, per country (``bureaus_for``).

Export columns
==============

Every bureau file is built from one common row (``COMMON_COLUMNS``); each
bureau takes its own subset, order and headers (``LAYOUTS``). These are the
fields such files commonly ask for, not a bureau's certified format: check
the layout of your contract with the bureau before uploading. Amounts are
plain decimals with a dot (``1234.50``), dates ISO ``YYYY-MM-DD``.

=======================  ===================================================
Common column            Meaning
=======================  ===================================================
``document_type``        Kind of id: RFC, CURP, NIT, CC, RUC, DNI, RUT, CUIT,
                         CUIL, NIF, NIE, SSN, EIN... (from the partner's
                         identification type, else the country's tax id)
``document_number``      The id / tax number (partner ``vat``)
``name``                 Debtor's full or company name
``person_type``          ``natural`` or ``legal`` (``partner.is_company``)
``address``              Street, city, zip, state, country on one line
``debt_type``            ``consumer`` or ``business`` debt
``reference``            Account / invoice reference(s)
``original_amount``      Amount of the invoices
``outstanding_balance``  Still owed on the report date
``currency``             ISO 4217 code
``due_date``             Oldest due date
``days_past_due``        Days from the oldest due date to the report date
``report_date``          Date of the report
``status``               ``delinquent`` / ``paid`` / ``settled`` /
                         ``withdrawn`` (``STATUSES``)
=======================  ===================================================

Per-bureau layouts (column keys in file order; the headers are in
``LAYOUTS``):

===================  =======  ===================================================
Bureau               Country  Columns
===================  =======  ===================================================
``buro_credito``     MX       document_number, name, person_type, address,
                              reference, debt_type, original_amount,
                              outstanding_balance, currency, due_date,
                              days_past_due, report_date, status
``circulo_credito``  MX       same as Buró de Crédito
``datacredito``      CO       document_type, document_number, name, reference,
                              debt_type, original_amount, outstanding_balance,
                              currency, due_date, days_past_due, report_date,
                              status, address
``transunion_co``    CO       same as DataCrédito
``equifax_pe``       PE       document_type, document_number, name, person_type,
                              reference, outstanding_balance, currency,
                              due_date, days_past_due, report_date, status,
                              original_amount, address
``experian_pe``      PE       same as Equifax Perú
``dicom``            CL       document_number, name, address, debt_type,
                              reference, outstanding_balance, currency,
                              due_date, days_past_due, report_date, status,
                              original_amount
``veraz``            AR       document_type, document_number, name, person_type,
                              reference, outstanding_balance, currency,
                              due_date, days_past_due, report_date, status,
                              original_amount, address
``nosis``            AR       same as Veraz
``asnef``            ES       document_type, document_number, name, person_type,
                              address, reference, debt_type, original_amount,
                              outstanding_balance, currency, due_date,
                              days_past_due, report_date, status
``badexcug``         ES       same as ASNEF
``equifax_us``       US       name, document_number, address, reference,
                              debt_type, original_amount, outstanding_balance,
                              currency, due_date, days_past_due, report_date,
                              status
``experian_us``      US       same as Equifax (US)
``transunion_us``    US       same as Equifax (US)
===================  =======  ===================================================

Update after payment or settlement
==================================

The reference notes give no number of days within which a furnisher must
update or withdraw a report after payment (ES-SIC says the data is kept
"only while unpaid", Chile's Ley 19.628 "deletion on payment", both without
a deadline). ``LEGAL_UPDATE_DAYS`` is therefore empty and
``update_deadline`` uses the company's own policy (``DEFAULT_UPDATE_DAYS``
unless configured), labelled ``company_policy``, never ``law``.

Retention
=========

``retention_limit`` reads the ``data_retention`` rules (CO-HD-PERM,
AR-DATA) and the ``max_after`` limits of the bureau-report waiting periods
(ES-SIC, AR-DATA): the last day the debt may still be reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "BUREAUS",
    "COMMON_COLUMNS",
    "DEFAULT_UPDATE_DAYS",
    "LAYOUTS",
    "LEGAL_UPDATE_DAYS",
    "STATUSES",
    "Bureau",
    "Deadline",
    "Retention",
    "bureau",
    "bureaus_for",
    "csv_text",
    "days_past_due",
    "document_type",
    "export_rows",
    "retention_limit",
    "update_deadline",
]


@dataclass(frozen=True)
class Bureau:
    code: str
    label: str
    country: str


BUREAUS = (
    Bureau("buro_credito", "Buró de Crédito", "MX"),
    Bureau("circulo_credito", "Círculo de Crédito", "MX"),
    Bureau("datacredito", "DataCrédito Experian", "CO"),
    Bureau("transunion_co", "TransUnion Colombia", "CO"),
    Bureau("equifax_pe", "Equifax Perú (Infocorp)", "PE"),
    Bureau("experian_pe", "Experian Perú", "PE"),
    Bureau("dicom", "DICOM Equifax", "CL"),
    Bureau("veraz", "Veraz Equifax", "AR"),
    Bureau("nosis", "Nosis", "AR"),
    Bureau("asnef", "ASNEF Equifax", "ES"),
    Bureau("badexcug", "Experian Badexcug", "ES"),
    Bureau("equifax_us", "Equifax", "US"),
    Bureau("experian_us", "Experian", "US"),
    Bureau("transunion_us", "TransUnion", "US"),
)
_BY_CODE = {b.code: b for b in BUREAUS}

COMMON_COLUMNS = (
    "document_type",
    "document_number",
    "name",
    "person_type",
    "address",
    "debt_type",
    "reference",
    "original_amount",
    "outstanding_balance",
    "currency",
    "due_date",
    "days_past_due",
    "report_date",
    "status",
)
STATUSES = ("delinquent", "paid", "settled", "withdrawn")

_MX = (
    ("document_number", "RFC"),
    ("name", "Nombre"),
    ("person_type", "TipoPersona"),
    ("address", "Domicilio"),
    ("reference", "NumeroCuenta"),
    ("debt_type", "TipoDeuda"),
    ("original_amount", "MontoOriginal"),
    ("outstanding_balance", "SaldoActual"),
    ("currency", "Moneda"),
    ("due_date", "FechaVencimiento"),
    ("days_past_due", "DiasAtraso"),
    ("report_date", "FechaReporte"),
    ("status", "Estado"),
)
_CO = (
    ("document_type", "TipoIdentificacion"),
    ("document_number", "NumeroIdentificacion"),
    ("name", "Nombre"),
    ("reference", "NumeroObligacion"),
    ("debt_type", "TipoDeuda"),
    ("original_amount", "ValorInicial"),
    ("outstanding_balance", "SaldoMora"),
    ("currency", "Moneda"),
    ("due_date", "FechaVencimiento"),
    ("days_past_due", "DiasMora"),
    ("report_date", "FechaReporte"),
    ("status", "Estado"),
    ("address", "Direccion"),
)
_PE_AR = (
    ("document_type", "TipoDocumento"),
    ("document_number", "NumeroDocumento"),
    ("name", "Nombre"),
    ("person_type", "TipoPersona"),
    ("reference", "Referencia"),
    ("outstanding_balance", "SaldoDeuda"),
    ("currency", "Moneda"),
    ("due_date", "FechaVencimiento"),
    ("days_past_due", "DiasAtraso"),
    ("report_date", "FechaReporte"),
    ("status", "Situacion"),
    ("original_amount", "MontoOriginal"),
    ("address", "Domicilio"),
)
_CL = (
    ("document_number", "RUT"),
    ("name", "Nombre"),
    ("address", "Direccion"),
    ("debt_type", "TipoDeuda"),
    ("reference", "NumeroDocumento"),
    ("outstanding_balance", "Monto"),
    ("currency", "Moneda"),
    ("due_date", "FechaVencimiento"),
    ("days_past_due", "DiasMora"),
    ("report_date", "FechaReporte"),
    ("status", "Estado"),
    ("original_amount", "MontoOriginal"),
)
_ES = (
    ("document_type", "TipoDocumento"),
    ("document_number", "NIF"),
    ("name", "Nombre"),
    ("person_type", "TipoPersona"),
    ("address", "Domicilio"),
    ("reference", "Referencia"),
    ("debt_type", "TipoDeuda"),
    ("original_amount", "ImporteOriginal"),
    ("outstanding_balance", "ImportePendiente"),
    ("currency", "Moneda"),
    ("due_date", "FechaVencimiento"),
    ("days_past_due", "DiasImpago"),
    ("report_date", "FechaAlta"),
    ("status", "Situacion"),
)
_US = (
    ("name", "Name"),
    ("document_number", "SSN/EIN"),
    ("address", "Address"),
    ("reference", "AccountNumber"),
    ("debt_type", "AccountType"),
    ("original_amount", "OriginalAmount"),
    ("outstanding_balance", "CurrentBalance"),
    ("currency", "Currency"),
    ("due_date", "DueDate"),
    ("days_past_due", "DaysPastDue"),
    ("report_date", "ReportDate"),
    ("status", "AccountStatus"),
)
#: ``{bureau code: ((common column, header), ...)}`` in file order.
LAYOUTS = {
    "buro_credito": _MX,
    "circulo_credito": _MX,
    "datacredito": _CO,
    "transunion_co": _CO,
    "equifax_pe": _PE_AR,
    "experian_pe": _PE_AR,
    "dicom": _CL,
    "veraz": _PE_AR,
    "nosis": _PE_AR,
    "asnef": _ES,
    "badexcug": _ES,
    "equifax_us": _US,
    "experian_us": _US,
    "transunion_us": _US,
}

#: Days to update or withdraw a report after payment, by country, where the
#: reference notes give one: ``{country: (days, citation)}``. None does.
LEGAL_UPDATE_DAYS: dict[str, tuple[int, str]] = {}
#: The company's own deadline when no law gives one (company policy).
DEFAULT_UPDATE_DAYS = 10


def bureau(code: str) -> Bureau:
    """The bureau of ``code``.

    >>> bureau("datacredito").country
    'CO'
    """
    try:
        return _BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown credit bureau {code!r}") from None


def bureaus_for(country: str | None) -> tuple[Bureau, ...]:
    """The bureaus of a country (``"US-MA"`` -> the US ones).

    >>> [b.code for b in bureaus_for("ES")]
    ['asnef', 'badexcug']
    >>> bureaus_for(None)
    ()
    """
    code = (country or "").upper().split("-")[0]
    return tuple(b for b in BUREAUS if b.country == code)


def days_past_due(due: date | None, on: date) -> int:
    """Whole days from ``due`` to ``on``, never negative (0 when unknown).

    >>> days_past_due(date(2026, 1, 1), date(2026, 1, 31))
    30
    >>> days_past_due(date(2026, 2, 1), date(2026, 1, 31))
    0
    """
    if due is None:
        return 0
    return max(0, (on - due).days)


#: The usual id of a debtor per country: ``{country: (natural, legal)}``.
DOCUMENT_TYPES = {
    "MX": ("RFC", "RFC"),
    "CO": ("CC", "NIT"),
    "PE": ("DNI", "RUC"),
    "CL": ("RUT", "RUT"),
    "AR": ("CUIL", "CUIT"),
    "ES": ("NIF", "NIF"),
    "US": ("SSN", "EIN"),
}


def document_type(country: str | None, person: str | None) -> str:
    """The usual document type of a natural or legal person in a country
    (empty when unknown); a partner's own identification type wins.

    >>> document_type("CO", "natural"), document_type("CO", "legal")
    ('CC', 'NIT')
    >>> document_type("FR", "legal")
    ''
    """
    pair = DOCUMENT_TYPES.get((country or "").upper().split("-")[0])
    if not pair:
        return ""
    return pair[1] if person == "legal" else pair[0]


def _money(value) -> str:
    return str(Decimal(str(value or 0)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _cell(key: str, value) -> str:
    if value is None or value is False:
        return ""
    if key in ("original_amount", "outstanding_balance"):
        return _money(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_rows(code: str, records: Iterable[Mapping]) -> list[list[str]]:
    """Header plus one row per record, in the layout of bureau ``code``.

    ``records`` are mappings with the ``COMMON_COLUMNS`` keys (missing keys
    are empty cells; ``days_past_due`` is computed from ``due_date`` and
    ``report_date`` when absent).

    >>> rows = export_rows("datacredito", [{
    ...     "document_type": "CC", "document_number": "79123456",
    ...     "name": "Camilo Restrepo", "reference": "INV/2026/0001",
    ...     "original_amount": 1200, "outstanding_balance": "1000.005",
    ...     "currency": "COP", "due_date": date(2026, 1, 15),
    ...     "report_date": date(2026, 3, 16), "status": "delinquent"}])
    >>> rows[0][:4]
    ['TipoIdentificacion', 'NumeroIdentificacion', 'Nombre', 'NumeroObligacion']
    >>> rows[1][5:10]
    ['1200.00', '1000.01', 'COP', '2026-01-15', '60']
    """
    layout = LAYOUTS[bureau(code).code]
    out = [[header for _key, header in layout]]
    for record in records:
        values = dict(record)
        if values.get("days_past_due") is None and values.get("report_date"):
            values["days_past_due"] = days_past_due(
                values.get("due_date"), values["report_date"]
            )
        status = values.get("status")
        if status and status not in STATUSES:
            raise ValueError(f"unknown report status {status!r}")
        out.append([_cell(key, values.get(key)) for key, _header in layout])
    return out


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    r"""CSV text (comma, minimal quoting, CRLF line ends as RFC 4180).

    >>> csv_text([["a", "b"], ["1", "x, y"]])
    'a,b\r\n1,"x, y"\r\n'
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class Deadline:
    """When a report must be updated or withdrawn, and on what basis.

    ``basis``: ``"law"`` (``citation`` says which) or ``"company_policy"``.
    """

    day: date
    basis: str
    days: int
    citation: str = ""


def update_deadline(
    country: str | None, settled_on: date, company_days: int | None = None
) -> Deadline:
    """Last day to update or withdraw a report after payment or settlement.

    A legal deadline only where ``LEGAL_UPDATE_DAYS`` has one (none today);
    otherwise the company's policy (``company_days``, default
    ``DEFAULT_UPDATE_DAYS``), labelled as such.

    >>> d = update_deadline("CO", date(2026, 3, 16))
    >>> d.day, d.basis
    (datetime.date(2026, 3, 26), 'company_policy')
    >>> update_deadline("ES", date(2026, 3, 16), 5).day
    datetime.date(2026, 3, 21)
    """
    code = (country or "").upper().split("-")[0]
    if code in LEGAL_UPDATE_DAYS:
        days, citation = LEGAL_UPDATE_DAYS[code]
        return Deadline(settled_on + timedelta(days=days), "law", days, citation)
    days = DEFAULT_UPDATE_DAYS if company_days is None else int(company_days)
    if days < 0:
        raise ValueError("the update deadline cannot be negative")
    return Deadline(settled_on + timedelta(days=days), "company_policy", days)


@dataclass(frozen=True)
class Retention:
    """``until``: last day the debt may still be reported (None: no limit
    encoded); ``rule_ids``: the rules that set it."""

    until: date | None
    rule_ids: tuple = ()


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _get(rule, name, default=None):
    if isinstance(rule, Mapping):
        return rule.get(name, default)
    return getattr(rule, name, default)


def _chain(jurisdiction: str) -> set[str]:
    code = (jurisdiction or "").upper()
    return {code, code.split("-")[0]}


def _rule_limits(rule, due: date | None, paid: date | None) -> list[date]:
    """The limits one rule sets (empty: none applies to these dates)."""
    params = _get(rule, "params") or {}
    kind = _get(rule, "kind")
    limits: list[date] = []
    if kind == "data_retention":
        if params.get("max_years") and due:
            limits.append(_add_years(due, params["max_years"]))
        after_paid = params.get("max_years_after_payment")
        if after_paid and paid:
            cap = _add_years(paid, after_paid)
            factor = params.get("max_factor_of_default_period")
            if factor and due:
                default_days = max(0, (paid - due).days)
                cap = min(cap, paid + timedelta(days=factor * default_days))
            limits.append(cap)
    elif kind == "waiting_period" and "bureau_report" in (
        params.get("action_kinds") or ()
    ):
        events = {"due_date": due, "paid": paid}
        for item in params.get("max_after") or ():
            ev = events.get(item.get("event"))
            if ev is None:
                continue
            if "years" in item:
                limits.append(_add_years(ev, item["years"]))
            else:
                limits.append(ev + timedelta(days=item["days"]))
    return limits


def retention_limit(
    rules: Iterable,
    jurisdiction: str | None,
    due: date | None,
    paid: date | None = None,
) -> Retention:
    """Last day a debt due on ``due`` (paid on ``paid``) may stay reported.

    ``rules``: ``compliance.Rule`` objects or rule-pack dicts; the
    ``data_retention`` rules and the ``max_after`` limits of the
    ``bureau_report`` waiting periods of the jurisdiction count, the
    earliest wins. ``until`` is None when none applies.

    >>> rules = [
    ...     {"rule_id": "AR-DATA", "jurisdiction": "AR", "kind": "data_retention",
    ...      "params": {"max_years": 5, "max_years_after_payment": 2}},
    ...     {"rule_id": "CO-HD-PERM", "jurisdiction": "CO",
    ...      "kind": "data_retention",
    ...      "params": {"max_factor_of_default_period": 2,
    ...                 "max_years_after_payment": 4}},
    ...     {"rule_id": "ES-SIC", "jurisdiction": "ES", "kind": "waiting_period",
    ...      "params": {"action_kinds": ["bureau_report"],
    ...                 "max_after": [{"event": "due_date", "years": 5}]}}]
    >>> retention_limit(rules, "AR", date(2020, 1, 10))
    Retention(until=datetime.date(2025, 1, 10), rule_ids=('AR-DATA',))
    >>> retention_limit(rules, "AR", date(2020, 1, 10), date(2022, 6, 1)).until
    datetime.date(2024, 6, 1)
    >>> retention_limit(rules, "CO", date(2026, 1, 1), date(2026, 3, 2))
    Retention(until=datetime.date(2026, 6, 30), rule_ids=('CO-HD-PERM',))
    >>> retention_limit(rules, "CO", date(2026, 1, 1)).until is None
    True
    >>> retention_limit(rules, "ES", date(2026, 1, 1)).until
    datetime.date(2031, 1, 1)
    """
    chain = _chain(jurisdiction or "")
    best: date | None = None
    ids: set[str] = set()
    for rule in rules:
        if (_get(rule, "jurisdiction") or "").upper() not in chain:
            continue
        for limit in _rule_limits(rule, due, paid):
            if best is None or limit < best:
                best, ids = limit, {_get(rule, "rule_id")}
            elif limit == best:
                ids.add(_get(rule, "rule_id"))
    return Retention(best, tuple(sorted(ids)))
