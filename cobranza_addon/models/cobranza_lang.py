"""The language of work done without a request (crons).

Odoo runs a cron with an empty context. Its ``_()`` then falls back to the
cron user's language while every translated field (a model's name, a
level's, a stage's) is read in English, so the same note mixed both
("Follow-up Run creado"). A scheduled job of this addon works in the
language of the user it runs as, as a request of that user would.
"""


def in_user_lang(records, user=None):
    """``records`` with ``user``'s language (default: the environment's
    user) in their context, unless the context already names one."""
    if records.env.context.get("lang"):
        return records
    lang = (user or records.env.user).lang
    return records.with_context(lang=lang) if lang else records
