"""Cutting queued follow-ups into delivery chunks.

A chunk is one committed unit of work: at most ``size`` actions, and at
most ``budget`` PDFs to render, because rendering is what makes a chunk
long (about 2 s an invoice PDF here). An action weighs the invoice PDFs and
statements it must render, plus its letter; the letters of a chunk are
rendered together, ``letters_per_pdf`` to a wkhtmltopdf call.

>>> split_chunks([(1, 0, False), (2, 0, False), (3, 0, False)], size=2, budget=10)
[[1, 2], [3]]
>>> split_chunks([(1, 6, False), (2, 6, False), (3, 0, False)], size=200, budget=10)
[[1], [2, 3]]
>>> split_chunks([(1, 30, False)], size=200, budget=10)  # alone, over budget
[[1]]
"""

import math


def chunk_cost(pdfs, letters, letters_per_pdf):
    """PDF renderings of a chunk: one per invoice PDF or statement, one per
    ``letters_per_pdf`` letters (rounded up)."""
    return pdfs + math.ceil(letters / letters_per_pdf)


def split_chunks(weights, size, budget, letters_per_pdf=20):
    """Cut ``weights`` — ``(action_id, pdfs, has_letter)`` in delivery
    order — into consecutive chunks.

    Greedy and in order: a chunk takes actions while it holds fewer than
    ``size`` and its renderings stay within ``budget``; an action that
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
        if current and (
            full or chunk_cost(new_pdfs, new_letters, letters_per_pdf) > budget
        ):
            chunks.append(current)
            current = []
            new_pdfs = action_pdfs
            new_letters = 1 if has_letter else 0
        current.append(action_id)
        pdfs, letters = new_pdfs, new_letters
    if current:
        chunks.append(current)
    return chunks
