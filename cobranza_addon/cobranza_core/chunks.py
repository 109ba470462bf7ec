"""Cutting queued follow-ups into delivery chunks.

A chunk is one committed unit of work: at most ``size`` actions, and at
most ``budget`` units of work, a unit being what one PDF rendering takes
(about 2 s an invoice PDF here), because rendering is what makes a chunk
long. An action weighs the invoice PDFs and statements it must render,
plus its letter; the letters of a chunk are rendered together,
``letters_per_pdf`` to a wkhtmltopdf call. The actions themselves weigh
too (rendering the email, the messages, the invoices' levels): with
``actions_per_unit``, that many actions count as one unit, so a chunk
full of letters or of PDFs holds fewer actions and stays as long as the
budget says.

>>> split_chunks([(1, 0, False), (2, 0, False), (3, 0, False)], size=2, budget=10)
[[1, 2], [3]]
>>> split_chunks([(1, 6, False), (2, 6, False), (3, 0, False)], size=200, budget=10)
[[1], [2, 3]]
>>> split_chunks([(1, 30, False)], size=200, budget=10)  # alone, over budget
[[1]]
>>> letters = [(i, 0, True) for i in range(1, 301)]
>>> [len(c) for c in split_chunks(letters, 200, 10, 20)]
[200, 100]
>>> [len(c) for c in split_chunks(letters, 200, 10, 20, actions_per_unit=50)]
[140, 140, 20]
"""

import math


def chunk_cost(pdfs, letters, letters_per_pdf, actions=0, actions_per_unit=0):
    """Units of work of a chunk: one per invoice PDF or statement, one per
    ``letters_per_pdf`` letters, one per ``actions_per_unit`` actions
    (rounded up; actions are not counted when ``actions_per_unit`` is 0)."""
    cost = pdfs + math.ceil(letters / letters_per_pdf)
    if actions_per_unit:
        cost += math.ceil(actions / actions_per_unit)
    return cost


def split_chunks(weights, size, budget, letters_per_pdf=20, actions_per_unit=0):
    """Cut ``weights`` — ``(action_id, pdfs, has_letter)`` in delivery
    order — into consecutive chunks.

    Greedy and in order: a chunk takes actions while it holds fewer than
    ``size`` and its cost (:func:`chunk_cost`) stays within ``budget``; an action that
    would go over starts the next chunk. An action over budget on its own
    is a chunk alone (it still has to be sent).
    """
    size = max(1, size)
    chunks, current = [], []
    pdfs = letters = 0
    for action_id, action_pdfs, has_letter in weights:
        new_pdfs = pdfs + action_pdfs
        new_letters = letters + (1 if has_letter else 0)
        full = len(current) >= size
        cost = chunk_cost(
            new_pdfs, new_letters, letters_per_pdf, len(current) + 1, actions_per_unit
        )
        if current and (full or cost > budget):
            chunks.append(current)
            current = []
            new_pdfs = action_pdfs
            new_letters = 1 if has_letter else 0
        current.append(action_id)
        pdfs, letters = new_pdfs, new_letters
    if current:
        chunks.append(current)
    return chunks
