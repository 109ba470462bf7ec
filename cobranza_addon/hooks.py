def post_init_hook(env):
    """Put the open invoices that exist before the install into collection.

    The stage is a stored computed field, computed when the module's fields
    are created, before its stage data is loaded: existing open invoices
    get the default stage here, in one write per company.
    """
    moves = env["account.move"].search(
        [("cobranza_in_collection", "=", True), ("cobranza_stage_id", "=", False)]
    )
    for company, company_moves in moves.grouped("company_id").items():
        stage = env["cobranza.stage"]._default_stage(company)
        if stage:
            company_moves.write({"cobranza_stage_id": stage.id})
