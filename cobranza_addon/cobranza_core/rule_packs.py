"""Shipped rule packs: plain, JSON-serialisable dicts, one per (rule_id, kind).

Source: ``shared/reference/compliance_rules.md`` (reference notes, NOT legal
advice). Rule ids are the reference's, verbatim. A rule id may appear with
several kinds (e.g. ``US-TIMEBAR`` is a ``forbidden_content`` and a
``stop_condition``); ``(rule_id, kind)`` is unique and is the natural key for
the Odoo records.

Encoding policy:

* Confidence **H** -> severity ``"block"`` (never overridable).
* Confidence **M** -> severity ``"warn"``: enforced like a block rule unless a
  manager overrides that rule id (see ``compliance.evaluate``).
* Confidence **L** -> not shipped (see ``NOT_ENCODED``).
* Where the reference is ambiguous the stricter reading is encoded and noted in
  ``params["note"]``.
* Actor codes: CR -> ``creditor``, AG -> ``agency``, DB -> ``buyer``. Debt
  types: B2C -> ``consumer``, B2B -> ``business``.
* ``activity`` (an Odoo scheduled activity done by a collector) is treated as a
  voice contact alongside ``call`` and ``visit``.

Tag vocabulary (template blocks are tagged; the engine checks tags):
content: ``mini_miranda``, ``debt_collector_disclosure``, ``opt_out``,
``validation_notice`` (+ its items), ``collector_identity``,
``collector_contact``, ``creditor_identity``, ``contract_reference``,
``amount_due``, ``payment_terms``, ``threat``, ``insult``, ``intimidation``,
``violence``, ``false_document``, ``judicial_lookalike``,
``authority_impersonation``, ``public_disclosure``, ``debtor_list``,
``third_party_disclosure``, ``asks_reason_for_nonpayment``, ``lawsuit_threat``,
``postcard``, ``cease_acknowledgement`` ...; ledger tags: ``effective_contact``,
``conversation``; events: ``notice_sent``, ``first_notice_sent``,
``notice_undeliverable``, ``spoke_to_consumer``, ``bureau_warning_sent``,
``due_date``, ``paid``, ``dispute_written``, ``verification_sent``,
``cease_request_written``, ``refusal_to_pay_written``, ``lawsuit_served``,
``insolvency_started``, ``agency_referral_notified``,
``arrears_notice_sent``, ``validation_notice_sent``.
"""

from __future__ import annotations

import copy

__all__ = ["JURISDICTIONS", "NOT_ENCODED", "load_rules", "rule_packs"]

JURISDICTIONS = ("MX", "CO", "PE", "CL", "AR", "ES", "EU", "US")

VOICE = ["activity", "call", "visit"]
WRITTEN = ["email", "letter", "sms", "whatsapp"]
B2C = ["consumer"]
B2B = ["business"]
ALL_ACTORS: list[str] = []
FIRST_PARTY_ROLES = ["debtor", "co_obligor", "guarantor"]

_CONDUSEF = "CONDUSEF rules for collection agencies, DOF 7-Oct-2014 (CONDUSEF registry rules ~118-131)"
_LEY2300 = "Colombia Ley 2300 de 2023"
_PE_CODE = "Peru Ley 29571 (Código de Protección y Defensa del Consumidor)"
_CL_37 = "Chile Ley 19.496 art. 37 as amended by Ley 21.320 (DO 20-Apr-2021)"
_AR_8BIS = "Argentina Ley 24.240 art. 8 bis (Ley 26.361)"

# Phrase lists: whole words, accent/case-insensitive; trailing * = prefix.
_ES_THREAT = [
    "carcel",
    "prision",
    "arresto",
    "orden de aprehension",
    "orden de captura",
    "te vamos a detener",
    "sera detenido",
    "lo vamos a encarcelar",
    "tu familia pagara",
]
_ES_LEGALLOOK = [
    "citatorio",
    "cedula de notificacion",
    "emplazamiento",
    "notificacion judicial",
    "orden judicial",
    "auto de embargo",
    "diligencia de embargo",
    "mandamiento de pago",
    "oficio judicial",
]
_ES_PUBLIC = ["lista negra", "boletinad*", "lista de deudores", "lista de morosos"]
_EN_FALSE = [
    "arrest",
    "arrested",
    "jail",
    "prison",
    "warrant for your arrest",
    "criminal charges",
    "summons",
    "court order",
]
_EN_ENVELOPE = [
    "debt*",
    "collection*",
    "collector*",
    "collecting",
    "past due",
    "overdue",
    "delinquen*",
    "final notice",
    "payment due",
    "you owe",
    "cobranza*",
    "cobro*",
    "deuda*",
    "adeud*",
    "moros*",
    "vencid*",
]


def _r(
    rule_id,
    jurisdiction,
    kind,
    params,
    *,
    severity="block",
    channels=(),
    debtor_types=(),
    actor_types=(),
    citation,
    confidence,
    valid_from=None,
    valid_to=None,
):
    return {
        "rule_id": rule_id,
        "jurisdiction": jurisdiction,
        "kind": kind,
        "params": params,
        "severity": severity,
        "channels": sorted(channels),
        "debtor_types": sorted(debtor_types),
        "actor_types": sorted(actor_types),
        "citation": citation,
        "confidence": confidence,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


def _mx():
    fin = {"creditor_sectors": ["financial"]}
    scope = {"debtor_types": B2C, "actor_types": ["creditor", "agency"]}
    return [
        _r(
            "MX-HOURS",
            "MX",
            "time_window",
            {
                "windows": {"daily": ["07:00", "22:00"]},
                "holidays": "ignore",
                "note": "Mon-Fri-only reading (L) not encoded",
                **fin,
            },
            channels=VOICE,
            citation=_CONDUSEF,
            confidence="H",
            **scope,
        ),
        _r(
            "MX-ID",
            "MX",
            "required_content",
            {
                "first_contact_tags": [
                    "collector_identity",
                    "collector_contact",
                    "creditor_identity",
                    "contract_reference",
                    "amount_due",
                    "payment_terms",
                ],
                "note": "caller-ID visibility is a telephony setting, not checked here",
                **fin,
            },
            severity="warn",
            citation=_CONDUSEF,
            confidence="M",
            **scope,
        ),
        _r(
            "MX-THIRD",
            "MX",
            "recipient_restriction",
            {
                "allowed_roles": FIRST_PARTY_ROLES,
                "non_debtor_forbidden_tags": ["minor", "older_adult"],
                "required_recipient_tags": ["debtor_supplied"],
                **fin,
            },
            citation=_CONDUSEF,
            confidence="H",
            **scope,
        ),
        _r(
            "MX-THREAT",
            "MX",
            "forbidden_content",
            {
                "tags": ["threat", "insult", "intimidation"],
                "phrases": {"body": _ES_THREAT, "subject": _ES_THREAT},
                **fin,
            },
            citation=_CONDUSEF + "; Código Penal Federal art. 284 Bis",
            confidence="H",
            **scope,
        ),
        _r(
            "MX-LEGALLOOK",
            "MX",
            "forbidden_content",
            {
                "tags": ["judicial_lookalike", "authority_impersonation"],
                "phrases": {
                    "body": _ES_LEGALLOOK,
                    "subject": _ES_LEGALLOOK,
                    "envelope": _ES_LEGALLOOK,
                },
                **fin,
            },
            citation=_CONDUSEF,
            confidence="H",
            **scope,
        ),
        _r(
            "MX-PUBLIC",
            "MX",
            "forbidden_content",
            {
                "tags": ["public_disclosure", "debtor_list"],
                "phrases": {
                    "body": _ES_PUBLIC,
                    "subject": _ES_PUBLIC,
                    "envelope": _ES_PUBLIC,
                },
                **fin,
            },
            citation=_CONDUSEF,
            confidence="H",
            **scope,
        ),
        _r(
            "MX-PAYMENT",
            "MX",
            "forbidden_content",
            {"tags": ["agency_payment_account"], **fin},
            debtor_types=B2C,
            actor_types=["agency"],
            citation=_CONDUSEF,
            confidence="H",
        ),
        _r(
            "MX-CRIME",
            "MX",
            "forbidden_content",
            {
                "tags": ["threat", "violence", "intimidation", "false_document"],
                "phrases": {"body": _ES_THREAT, "subject": _ES_THREAT},
                "note": "stating lawful consequences of non-payment is allowed",
            },
            citation="Código Penal Federal art. 284 Bis (DOF 22-Jun-2017)",
            confidence="H",
            valid_from="2017-06-22",
        ),
        _r(
            "MX-INT",
            "MX",
            "statutory_interest",
            {"commercial_rate": "0.06", "civil_rate": "0.09", "when": "no agreed rate"},
            citation="Código de Comercio art. 362; Código Civil Federal art. 2395",
            confidence="H/M",
        ),
    ]


def _co():
    scope = {"debtor_types": B2C, "actor_types": ["agency", "buyer", "creditor"]}
    windows = {"mon-fri": ["07:00", "19:00"], "sat": ["08:00", "15:00"], "sun": []}
    return [
        _r(
            "CO-CHANNEL",
            "CO",
            "recipient_restriction",
            {"require_authorized_channel": True},
            citation=_LEY2300 + " arts. 1-2",
            confidence="H",
            **scope,
        ),
        _r(
            "CO-HOURS",
            "CO",
            "time_window",
            {
                "windows": windows,
                "holidays": "closed",
                "waived_by_consents": ["co_extended_hours"],
            },
            citation=_LEY2300 + " art. 3",
            confidence="H",
            **scope,
        ),
        _r(
            "CO-FREQ",
            "CO",
            "frequency_cap",
            {
                "caps": [
                    {
                        "window": {"type": "day"},
                        "limit": 1,
                        "count_tags": ["effective_contact"],
                    },
                    {
                        "window": {"type": "calendar_week"},
                        "max_distinct_channels": 1,
                        "count_tags": ["effective_contact"],
                    },
                ],
                "note": "after an effective contact: no further contact that local day and no other "
                "channel that ISO week; same-channel contacts on other days of the week are allowed "
                "(disputed reading, M)",
            },
            citation=_LEY2300 + " art. 3",
            confidence="H (rule), M (reading)",
            **scope,
        ),
        _r(
            "CO-THIRD",
            "CO",
            "recipient_restriction",
            {"allowed_roles": FIRST_PARTY_ROLES, "forbidden_channels": ["visit"]},
            severity="warn",
            citation=_LEY2300,
            confidence="M",
            **scope,
        ),
        _r(
            "CO-REASON",
            "CO",
            "forbidden_content",
            {
                "tags": ["asks_reason_for_nonpayment"],
                "phrases": {
                    "body": [
                        "por que no ha pagado",
                        "por que no pago",
                        "por que no ha realizado el pago",
                        "motivo del no pago",
                        "motivo de su incumplimiento",
                        "razon del impago",
                        "razon por la cual no ha pagado",
                    ]
                },
            },
            severity="warn",
            citation=_LEY2300,
            confidence="M",
            **scope,
        ),
        _r(
            "CO-MKT",
            "CO",
            "time_window",
            {"windows": windows, "holidays": "closed", "kinds": ["marketing"]},
            severity="warn",
            debtor_types=B2C,
            citation=_LEY2300 + " art. 5",
            confidence="M",
        ),
        _r(
            "CO-MKT",
            "CO",
            "recipient_restriction",
            {"require_authorized_channel": True, "kinds": ["marketing"]},
            severity="warn",
            debtor_types=B2C,
            citation=_LEY2300 + " art. 5",
            confidence="M",
        ),
        _r(
            "CO-HD-NOTICE",
            "CO",
            "waiting_period",
            {
                "action_kinds": ["bureau_report"],
                "after": [{"event": "notice_sent", "min_days": 20, "exclusive": True}],
                "small_balance": {
                    "fraction": "0.15",
                    "base_param": "minimum_wage",
                    "earlier_event": "first_notice_sent",
                    "event": "notice_sent",
                    "note": "base = the SMMLV in force on the decision date (Legal parameters); "
                    "out of date -> last known value, flagged; unknown -> no decision",
                },
                "debtor_person": ["natural"],
            },
            citation="Ley 1266/2008 art. 12 as amended by Ley 2157/2021",
            confidence="H",
        ),
        _r(
            "CO-HD-PERM",
            "CO",
            "data_retention",
            {"max_factor_of_default_period": 2, "max_years_after_payment": 4},
            severity="warn",
            citation="Ley 1266 art. 13 as amended by Ley 2157",
            confidence="M",
        ),
        _r(
            "CO-SFC-FEES",
            "CO",
            "fee_cap",
            {
                "documented_costs_only": True,
                "forbidden_if_debt_tags": ["housing_loan"],
                "creditor_sectors": ["financial"],
            },
            citation="SFC Circular Externa 048/2008 (Circular Básica Jurídica Part I, Title III, Ch. I)",
            confidence="H",
        ),
        _r(
            "CO-INT",
            "CO",
            "statutory_interest",
            {
                "formula": "1.5 * interes_bancario_corriente",
                "cap": "usury_rate",
                "when": "no agreed rate",
            },
            citation="Código de Comercio art. 884",
            confidence="H",
        ),
        _r(
            "CO-B2B-TERM",
            "CO",
            "payment_term",
            {
                "max_days": 45,
                "max_days_health_and_state": 60,
                "excluded": "two large companies",
            },
            severity="warn",
            debtor_types=B2B,
            citation="Ley 2024/2020",
            confidence="M",
        ),
    ]


def _pe():
    scope = {"debtor_types": B2C, "actor_types": ["agency", "buyer", "creditor"]}
    return [
        _r(
            "PE-HOURS",
            "PE",
            "time_window",
            {
                "windows": {"mon-fri": ["07:00", "20:00"]},
                "holidays": "closed",
                "note": "also applied to SMS and WhatsApp as a precaution",
            },
            channels=VOICE + ["sms", "whatsapp"],
            citation=_PE_CODE + " art. 62(b)",
            confidence="H",
            **scope,
        ),
        _r(
            "PE-LEGALLOOK",
            "PE",
            "forbidden_content",
            {
                "tags": ["judicial_lookalike", "authority_impersonation"],
                "phrases": {
                    "body": _ES_LEGALLOOK,
                    "subject": _ES_LEGALLOOK,
                    "envelope": _ES_LEGALLOOK,
                },
            },
            citation=_PE_CODE + " art. 62(a)",
            confidence="H",
            **scope,
        ),
        _r(
            "PE-PUBLIC",
            "PE",
            "forbidden_content",
            {
                "tags": [
                    "public_disclosure",
                    "debtor_list",
                    "poster",
                    "costume_collector",
                ],
                "phrases": {
                    "body": _ES_PUBLIC,
                    "subject": _ES_PUBLIC,
                    "envelope": _ES_PUBLIC,
                },
            },
            channels=[],
            citation=_PE_CODE + " art. 62(c)(d)(e)",
            confidence="H",
            **scope,
        ),
        _r(
            "PE-GENERAL",
            "PE",
            "forbidden_content",
            {
                "tags": [
                    "reputational_harm",
                    "third_party_disclosure",
                    "intimidation",
                    "threat",
                ]
            },
            citation=_PE_CODE + " arts. 61, 62",
            confidence="H",
            **scope,
        ),
        _r(
            "PE-GENERAL",
            "PE",
            "recipient_restriction",
            {
                "allowed_roles": FIRST_PARTY_ROLES,
                "note": "calls to third parties (secondary sources)",
            },
            severity="warn",
            citation=_PE_CODE + " arts. 61, 62",
            confidence="M",
            **scope,
        ),
        _r(
            "PE-MKT",
            "PE",
            "recipient_restriction",
            {"required_consents": ["marketing"], "kinds": ["marketing"]},
            channels=["call", "email", "sms", "whatsapp"],
            debtor_types=B2C,
            citation="Ley 32323 (9-May-2025) amending Ley 29571 art. 58",
            confidence="H",
            valid_from="2025-05-09",
        ),
    ]


def _cl():
    scope = {
        "debtor_types": B2C,
        "actor_types": ["agency", "buyer", "creditor"],
        "valid_from": "2021-04-20",
    }
    return [
        _r(
            "CL-FREQ-VOICE",
            "CL",
            "frequency_cap",
            {
                "window": {"type": "rolling_days", "days": 7},
                "limit": 1,
                "note": "'per week' read as any 7 consecutive days (stricter than calendar weeks)",
            },
            channels=VOICE,
            citation=_CL_37,
            confidence="H",
            **scope,
        ),
        _r(
            "CL-FREQ-OTHER",
            "CL",
            "frequency_cap",
            {
                "caps": [
                    {"window": {"type": "rolling_days", "days": 7}, "limit": 2},
                    {"min_gap_hours": 48},
                ],
                "note": "letters, SMS, email and messaging counted together; '2 days apart' read as 48 h",
            },
            channels=WRITTEN,
            citation=_CL_37,
            confidence="H",
            **scope,
        ),
        _r(
            "CL-HOURS",
            "CL",
            "time_window",
            {"windows": {"mon-sat": ["08:00", "20:00"]}, "holidays": "closed"},
            severity="warn",
            channels=VOICE,
            citation=_CL_37 + "; CPC art. 59",
            confidence="M",
            **scope,
        ),
        _r(
            "CL-LEGALLOOK",
            "CL",
            "forbidden_content",
            {
                "tags": ["judicial_lookalike", "authority_impersonation"],
                "phrases": {
                    "body": _ES_LEGALLOOK,
                    "subject": _ES_LEGALLOOK,
                    "envelope": _ES_LEGALLOOK,
                },
            },
            citation=_CL_37,
            confidence="H",
            **scope,
        ),
        _r(
            "CL-THIRD",
            "CL",
            "recipient_restriction",
            {"allowed_roles": FIRST_PARTY_ROLES},
            citation=_CL_37,
            confidence="H",
            **scope,
        ),
        _r(
            "CL-STOP",
            "CL",
            "stop_condition",
            {
                "conditions": [
                    {
                        "events": ["lawsuit_served", "insolvency_started"],
                        "debt_tags": ["lawsuit_served", "insolvency_started"],
                    }
                ]
            },
            citation=_CL_37,
            confidence="H",
            **scope,
        ),
        _r(
            "CL-FIRST",
            "CL",
            "notice_deadline",
            {
                "after_event": "due_date",
                "within_days": 15,
                "satisfied_by_event": "arrears_notice_sent",
                "free_of_charge": True,
            },
            citation=_CL_37,
            confidence="H",
            **scope,
        ),
        _r(
            "CL-FEES",
            "CL",
            "fee_cap",
            {
                "min_days_overdue": 20,
                "unit": "UF",
                "tranches": [[10, "0.09"], [50, "0.06"], [None, "0.03"]],
            },
            citation=_CL_37,
            confidence="H",
            **scope,
        ),
        _r(
            "CL-B2B-TERM",
            "CL",
            "payment_term",
            {
                "max_days": 30,
                "longer_requires": "written agreement registered with the Ministry of Economy within 5 "
                "working days",
                "note": "late-payment amounts (L) not encoded",
            },
            debtor_types=B2B,
            citation="Ley 21.131 amending Ley 19.983",
            confidence="H (term), L (amounts)",
        ),
    ]


def _ar():
    scope = {"debtor_types": B2C, "actor_types": ["agency", "buyer", "creditor"]}
    legal = _ES_LEGALLOOK
    return [
        _r(
            "AR-DIGNITY",
            "AR",
            "forbidden_content",
            {
                "tags": [
                    "shaming",
                    "vexing",
                    "intimidation",
                    "threat",
                    "judicial_lookalike",
                ],
                "phrases": {
                    "body": _ES_THREAT + legal,
                    "subject": _ES_THREAT + legal,
                    "envelope": legal + _ES_PUBLIC,
                },
            },
            citation=_AR_8BIS,
            confidence="H",
            **scope,
        ),
        _r(
            "AR-THIRD",
            "AR",
            "recipient_restriction",
            {"allowed_roles": FIRST_PARTY_ROLES},
            citation=_AR_8BIS + "; CNACAF Sala III, BML Collection Service, 9-Jun-2022",
            confidence="H",
            **scope,
        ),
        _r(
            "AR-CABA",
            "AR-C",
            "waiting_period",
            {
                "action_kinds": ["collection"],
                "after": [{"event": "agency_referral_notified", "min_days": 0}],
                "note": "creditor must first notify the referral (agency name, address, phones, authority)",
            },
            severity="warn",
            debtor_types=B2C,
            actor_types=["agency"],
            citation="Ley CABA 6171 (mod. 6271)",
            confidence="M",
        ),
        _r(
            "AR-CABA",
            "AR-C",
            "forbidden_content",
            {
                "tags": ["debtor_list", "third_party_disclosure", "judicial_lookalike"],
                "phrases": {"envelope": legal + _ES_PUBLIC},
            },
            severity="warn",
            debtor_types=B2C,
            citation="Ley CABA 6171 (mod. 6271)",
            confidence="M",
        ),
        _r(
            "AR-CABA",
            "AR-C",
            "recipient_restriction",
            {"allowed_roles": FIRST_PARTY_ROLES},
            severity="warn",
            debtor_types=B2C,
            citation="Ley CABA 6171 (mod. 6271)",
            confidence="M",
        ),
        _r(
            "AR-DATA",
            "AR",
            "waiting_period",
            {
                "action_kinds": ["bureau_report"],
                "max_after": [
                    {"event": "due_date", "years": 5, "required": True},
                    {"event": "paid", "years": 2, "required": False},
                ],
            },
            citation="Ley 25.326 art. 26(4)",
            confidence="H",
        ),
        _r(
            "AR-DATA",
            "AR",
            "data_retention",
            {"max_years": 5, "max_years_after_payment": 2},
            citation="Ley 25.326 art. 26(4)",
            confidence="H",
        ),
        _r(
            "AR-FEES",
            "AR",
            "fee_cap",
            {"documented_costs_only": True, "creditor_sectors": ["financial"]},
            severity="warn",
            citation='BCRA rules on interest rates in credit operations, 1.7 (Com. "A" 5460)',
            confidence="M",
        ),
    ]


def _es():
    return [
        _r(
            "ES-B2B-INT",
            "ES",
            "statutory_interest",
            {
                "formula": "ecb_mro_last_operation_before_half_year + 0.08",
                "accrues_from": "day after due date, no demand needed",
            },
            debtor_types=B2B,
            citation="Ley 3/2004 arts. 5 and 7 (Ley 11/2013)",
            confidence="H",
        ),
        _r(
            "ES-B2B-40",
            "ES",
            "statutory_interest",
            {"fixed_compensation_cents": 4000, "currency": "EUR", "per": "invoice"},
            debtor_types=B2B,
            citation="Ley 3/2004 art. 8; CJEU C-279/23 (11-Jul-2024)",
            confidence="H",
        ),
        _r(
            "ES-B2B-TERM",
            "ES",
            "payment_term",
            {"default_days": 30, "max_days": 60},
            debtor_types=B2B,
            citation="Ley 3/2004 art. 4",
            confidence="H",
        ),
        _r(
            "ES-SIC",
            "ES",
            "waiting_period",
            {
                "action_kinds": ["bureau_report"],
                "after": [
                    {"event": "bureau_warning_sent", "min_days": 0},
                    {"event": "due_date", "min_days": 1},
                ],
                "unless_debt_tags": ["disputed"],
                "min_amount_cents": 5000,
                "max_after": [{"event": "due_date", "years": 5, "required": True}],
                "debtor_person": ["natural"],
                "note": "EUR 50 minimum is M; encoded as it only makes the rule stricter",
            },
            citation="LOPDGDD art. 20",
            confidence="H (art. 20), M (EUR 50)",
        ),
        _r(
            "ES-HONOR",
            "ES",
            "forbidden_content",
            {
                "tags": [
                    "public_disclosure",
                    "costume_collector",
                    "third_party_disclosure",
                    "debtor_list",
                ],
                "phrases": {
                    "envelope": _ES_PUBLIC + ["cobrador del frac"],
                    "body": ["cobrador del frac"],
                },
            },
            severity="warn",
            citation="LO 1/1982; Código Penal arts. 172, 172 ter",
            confidence="M",
        ),
        _r(
            "ES-HONOR",
            "ES",
            "recipient_restriction",
            {"allowed_roles": FIRST_PARTY_ROLES + ["legal_representative"]},
            severity="warn",
            citation="LO 1/1982; Código Penal arts. 172, 172 ter",
            confidence="M",
        ),
        _r(
            "ES-B2C-INT",
            "ES",
            "statutory_interest",
            {
                "formula": "interes_legal_del_dinero",
                "when": "no agreed rate; sector caps apply",
            },
            severity="warn",
            debtor_types=B2C,
            citation="Código Civil art. 1108",
            confidence="M",
        ),
    ]


def _eu():
    lpd = "Directive 2011/7/EU"
    return [
        _r(
            "EU-LPD-INT",
            "EU",
            "statutory_interest",
            {
                "formula": "ecb_mro_on_1_jan_or_1_jul + 0.08",
                "accrues_from": "day after due date",
            },
            debtor_types=B2B,
            citation=lpd + " arts. 2, 3, 4",
            confidence="H",
        ),
        _r(
            "EU-LPD-40",
            "EU",
            "statutory_interest",
            {
                "fixed_compensation_cents": 4000,
                "currency": "EUR",
                "per": "invoice",
                "minimum": True,
            },
            debtor_types=B2B,
            citation=lpd + " art. 6",
            confidence="H",
        ),
        _r(
            "EU-LPD-TERM",
            "EU",
            "payment_term",
            {"default_days": 30, "max_days": 60, "public_body_max_days": 30},
            debtor_types=B2B,
            citation=lpd + " arts. 3-4",
            confidence="H",
        ),
        _r(
            "EU-UCPD",
            "EU",
            "forbidden_content",
            {
                "tags": ["unlawful_threat", "threat_not_intended"],
                "note": "'persistent unwanted contact' has no number and is not encoded",
            },
            debtor_types=B2C,
            citation="Directive 2005/29/EC art. 9(e), Annex I no. 25",
            confidence="H",
        ),
        _r(
            "EU-GDPR",
            "EU",
            "recipient_restriction",
            {
                "allowed_roles": FIRST_PARTY_ROLES + ["legal_representative"],
                "debtor_person": ["natural"],
            },
            citation="GDPR arts. 5, 6, 21",
            confidence="H",
        ),
        _r(
            "EU-CSD",
            "EU",
            "forbidden_content",
            {
                "tags": ["harassment", "coercion", "undue_influence"],
                "creditor_sectors": ["financial"],
            },
            severity="warn",
            actor_types=["agency", "buyer"],
            citation="Directive 2021/2167 art. 10",
            confidence="M",
        ),
    ]


def _us():
    scope = {"debtor_types": B2C, "actor_types": ["agency", "buyer"]}
    return [
        _r(
            "US-HOURS",
            "US",
            "time_window",
            {
                "windows": {"daily": ["08:00", "21:00"]},
                "holidays": "ignore",
                "all_tzs": True,
                "note": "pass every plausible time zone in extra_tzs",
            },
            citation="15 USC 1692c(a)(1); 12 CFR 1006.6(b)(1)(i)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-FREQ",
            "US",
            "frequency_cap",
            {
                "caps": [
                    {"window": {"type": "rolling_days", "days": 7}, "limit": 7},
                    {
                        "window": {"type": "rolling_days", "days": 7},
                        "limit": 1,
                        "count_tags": ["conversation"],
                    },
                ],
                "note": "per person per debt: pass that ledger; rebuttable presumption encoded as a hard cap",
                "defer": False,
            },
            channels=["activity", "call"],
            citation="12 CFR 1006.14(b)(2)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-MIRANDA",
            "US",
            "required_content",
            {
                "tags": [["debt_collector_disclosure", "mini_miranda"]],
                "first_contact_tags": ["mini_miranda"],
            },
            citation="15 USC 1692e(11); 12 CFR 1006.18(e)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-VALIDATION",
            "US",
            "required_content",
            {
                "if_content_tags": ["validation_notice"],
                "tags": [
                    "itemization_date",
                    "itemized_amounts",
                    "current_amount",
                    "validation_period_end",
                    "dispute_rights",
                    "cfpb_website",
                    "dispute_response_form",
                ],
            },
            citation="15 USC 1692g; 12 CFR 1006.34",
            confidence="H",
            **scope,
        ),
        _r(
            "US-VALIDATION",
            "US",
            "notice_deadline",
            {
                "after_event": "first_contact",
                "within_days": 5,
                "satisfied_by_event": "validation_notice_sent",
            },
            citation="15 USC 1692g; 12 CFR 1006.34",
            confidence="H",
            **scope,
        ),
        _r(
            "US-OPTOUT",
            "US",
            "required_content",
            {"tags": ["opt_out"]},
            channels=["email", "sms", "whatsapp"],
            citation="12 CFR 1006.6(e)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-THIRD",
            "US",
            "recipient_restriction",
            {
                "allowed_roles": [
                    "debtor",
                    "co_obligor",
                    "spouse",
                    "legal_representative",
                ],
                "forbidden_recipient_tags": ["employer_email"],
                "forbidden_channels": ["social_media_public"],
                "note": "location calls are not automated (they may not mention the debt)",
            },
            citation="15 USC 1692b, 1692c(b); 12 CFR 1006.6(d), 1006.22(f)(3)-(4)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-ENVELOPE",
            "US",
            "forbidden_content",
            {"tags": ["postcard"], "phrases": {"envelope": _EN_ENVELOPE}},
            channels=["letter"],
            citation="15 USC 1692f(7)-(8); 12 CFR 1006.22(f)(1)-(2)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-FALSE",
            "US",
            "forbidden_content",
            {
                "tags": [
                    "false_attorney",
                    "false_government",
                    "legal_process_imitation",
                    "arrest_threat",
                    "unintended_action_threat",
                ],
                "phrases": {
                    "body": _EN_FALSE + ["arresto", "carcel"],
                    "subject": _EN_FALSE + ["arresto", "carcel"],
                    "envelope": _EN_FALSE,
                },
            },
            citation="15 USC 1692e(3)-(5), (9), (13); 12 CFR 1006.18",
            confidence="H",
            **scope,
        ),
        _r(
            "US-CEASE",
            "US",
            "stop_condition",
            {
                "conditions": [
                    {
                        "events": ["cease_request_written", "refusal_to_pay_written"],
                        "except_content_tags": ["cease_acknowledgement"],
                    },
                    {
                        "events": ["dispute_written"],
                        "resumed_by": ["verification_sent"],
                    },
                ]
            },
            citation="15 USC 1692c(c), 1692g(b); 12 CFR 1006.38",
            confidence="H",
            **scope,
        ),
        _r(
            "US-TIMEBAR",
            "US",
            "forbidden_content",
            {"tags": ["lawsuit_threat"], "if_debt_tags": ["time_barred"]},
            citation="12 CFR 1006.26(b)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-TIMEBAR",
            "US",
            "stop_condition",
            {"kinds": ["lawsuit"], "conditions": [{"debt_tags": ["time_barred"]}]},
            citation="12 CFR 1006.26(b)",
            confidence="H",
            **scope,
        ),
        _r(
            "US-CREDIT",
            "US",
            "waiting_period",
            {
                "action_kinds": ["bureau_report"],
                "after_mode": "any",
                "after": [
                    {"event": "spoke_to_consumer", "min_days": 0},
                    {
                        "event": "notice_sent",
                        "min_days": 14,
                        "exclusive": True,
                        "unless_events": ["notice_undeliverable"],
                    },
                ],
            },
            citation="12 CFR 1006.30(a) and Official Interpretation",
            confidence="H",
            **scope,
        ),
        _r(
            "US-RECORDS",
            "US",
            "data_retention",
            {"min_years": 3, "what": "contact ledger and evidence of compliance"},
            citation="12 CFR 1006.100",
            confidence="H",
            **scope,
        ),
        _r(
            "US-STATE",
            "US-MA",
            "frequency_cap",
            {"window": {"type": "rolling_days", "days": 7}, "limit": 2},
            severity="warn",
            channels=["activity", "call"],
            debtor_types=B2C,
            actor_types=["agency", "buyer", "creditor"],
            citation="940 CMR 7.04",
            confidence="M",
        ),
    ]


_BUILDERS = {
    "MX": _mx,
    "CO": _co,
    "PE": _pe,
    "CL": _cl,
    "AR": _ar,
    "ES": _es,
    "EU": _eu,
    "US": _us,
}

#: Reference items judged not machine-checkable (or low confidence), with why.
NOT_ENCODED = {
    "MX-HOURS (weekdays)": "Mon-Fri-only limit is L (unconfirmed); only the 07:00-22:00 window is encoded",
    "MX-ID (caller ID)": "caller-ID visibility is a telephony setting, not a property of a contact",
    "MX-PAYMENT (written agreements)": "'payment agreements in writing' is a document workflow, not a send check",
    "MX-REDECO": "registry administration duty of the creditor (monthly updates), not a contact property",
    "MX envelope legend": "single-source (L) flag",
    "CO-SFC-FEES (adequate hours)": "no hours given; CO-HOURS covers contact hours",
    "PE flags": "pending bills (third-party addresses, one call a day) and SBS rules are not in force/confirmed",
    "PE interest": "BCRP legal rate has no rule id; interest.statutory_rate('PE') takes the published rate",
    "CL-B2B-TERM (amounts)": "late-payment interest and the '1 %' charge are L",
    "CL credit data": "Ley 19.628 / 21.719 items are M/L and bureau-side",
    "AR-CABA (hours)": "the hour window is unconfirmed",
    "AR provincial bills": "not in force",
    "ES-SIC (operator duties)": "notification within 30 days and blocking are the file operator's duties",
    "ES flags": "no collection hours or frequency caps exist in Spain per the reference",
    "EU-UCPD (persistent contact)": "'persistent unwanted contact' has no numeric threshold",
    "EU late-payment regulation": "2023 proposal still pending",
    "US-THIRD (location calls)": "conversation content of location calls cannot be checked automatically",
    "US-VALIDATION (timing of receipt)": "only the 5-day deadline and content items are encoded",
    "US TCPA": "consent for autodialed calls/texts is M and has no rule id",
}


def rule_packs(jurisdictions=None) -> list[dict]:
    """Deep-copied rule dicts for ``jurisdictions`` (default: all eight).

    Passing a member state (``"ES"``) does not add ``"EU"``; pass both, or
    pass all packs to ``evaluate`` (it selects by jurisdiction itself).
    """
    wanted = (
        JURISDICTIONS if jurisdictions is None else [j.upper() for j in jurisdictions]
    )
    out = []
    for j in wanted:
        if j not in _BUILDERS:
            raise ValueError(f"no rule pack for {j!r}")
        out.extend(_BUILDERS[j]())
    return copy.deepcopy(out)


def load_rules(jurisdictions=None):
    """``rule_packs`` as ``compliance.Rule`` objects."""
    from .compliance import Rule

    return [Rule.from_dict(d) for d in rule_packs(jurisdictions)]
