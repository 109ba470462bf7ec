"""18.0.1.1.0: an action's invoices are its lines.

``cobranza.action.invoice_ids`` used its own relation table beside the
lines; it now reads and writes ``cobranza_action_line``. Every invoice linked
without a line (installment reminders, older actions) gets a listed line,
duplicates are removed so the new unique constraint holds, and the old
table goes. The lines no longer keep who created them (the action does),
nor an index of their own on the action.
"""

from odoo.tools import SQL, sql

OLD = "cobranza_action_account_move_rel"


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            DELETE FROM cobranza_action_line l
             USING cobranza_action_line k
             WHERE k.action_id = l.action_id AND k.move_id = l.move_id
               AND k.id < l.id
            """
        )
    )
    if sql.table_exists(cr, OLD):
        cr.execute(
            SQL(
                """
                INSERT INTO cobranza_action_line (action_id, move_id, days_overdue)
                SELECT r.action_id, r.move_id,
                       a.date - COALESCE(m.invoice_date_due, a.date)
                  FROM %(old)s r
                  JOIN cobranza_action a ON a.id = r.action_id
                  JOIN account_move m ON m.id = r.move_id
                 WHERE NOT EXISTS (
                        SELECT 1 FROM cobranza_action_line l
                         WHERE l.action_id = r.action_id AND l.move_id = r.move_id)
                """,
                old=SQL.identifier(OLD),
            )
        )
        cr.execute(SQL("DROP TABLE %s", SQL.identifier(OLD)))
        cr.execute(SQL("DELETE FROM ir_model_relation WHERE name = %s", OLD))
    # the unique (action, move) index serves the look-ups by action
    cr.execute(SQL("DROP INDEX IF EXISTS cobranza_action_line__action_id_index"))
    for column in ("create_uid", "create_date", "write_uid", "write_date"):
        cr.execute(
            SQL(
                "ALTER TABLE cobranza_action_line DROP COLUMN IF EXISTS %s",
                SQL.identifier(column),
            )
        )
