"""Pure tests of cobranza_core.chunks: delivery chunks within size and PDF budget."""

from cobranza_core.chunks import chunk_cost, split_chunks
from hypothesis import given
from hypothesis import strategies as st

WEIGHTS = st.lists(st.tuples(st.integers(0, 15), st.booleans()), max_size=300).map(
    lambda rows: [(i + 1, pdfs, letter) for i, (pdfs, letter) in enumerate(rows)]
)


def cost(chunk, by_id, letters_per_pdf, actions_per_unit):
    pdfs = sum(by_id[i][1] for i in chunk)
    letters = sum(1 for i in chunk if by_id[i][2])
    return chunk_cost(pdfs, letters, letters_per_pdf, len(chunk), actions_per_unit)


@given(
    WEIGHTS,
    st.integers(1, 50),
    st.integers(1, 20),
    st.integers(1, 25),
    st.sampled_from([0, 1, 7, 50]),
)
def test_chunks_cover_in_order_within_size_and_budget(weights, size, budget, lpp, apu):
    chunks = split_chunks(weights, size, budget, lpp, apu)
    by_id = {w[0]: w for w in weights}
    # every action once, in order, no empty chunk
    assert [i for chunk in chunks for i in chunk] == [w[0] for w in weights]
    assert all(chunks)
    for n, chunk in enumerate(chunks):
        assert len(chunk) <= size
        # over budget only when alone
        assert len(chunk) == 1 or cost(chunk, by_id, lpp, apu) <= budget
        # greedy: the next action did not fit
        if n + 1 < len(chunks):
            grown = chunk + chunks[n + 1][:1]
            assert len(grown) > size or cost(grown, by_id, lpp, apu) > budget


def test_letters_count_by_batch():
    # 20 letters render in one call: 40 letters are 2 renderings
    weights = [(i, 0, True) for i in range(1, 61)]
    assert [len(c) for c in split_chunks(weights, 200, 2, 20)] == [40, 20]


def test_an_email_with_invoice_pdfs_waits_for_the_next_chunk():
    weights = [(1, 0, False), (2, 4, False), (3, 7, False), (4, 0, False)]
    assert split_chunks(weights, 200, 10) == [[1, 2], [3, 4]]


def test_nothing_to_cut():
    assert split_chunks([], 200, 10) == []


def test_actions_count_so_a_chunk_full_of_letters_is_shorter():
    # 50 actions are one unit: 140 letters are 7 renderings + 3 units
    weights = [(i, 0, True) for i in range(1, 301)]
    assert [len(c) for c in split_chunks(weights, 200, 10, 20, 50)] == [140, 140, 20]
    # an email-only chunk still holds its 200 actions (4 units)
    weights = [(i, 0, False) for i in range(1, 401)]
    assert [len(c) for c in split_chunks(weights, 200, 10, 20, 50)] == [200, 200]
    # PDFs to render leave room for fewer actions: 9 PDFs + 1 unit
    weights = [(1, 9, False)] + [(i, 0, False) for i in range(2, 101)]
    assert [len(c) for c in split_chunks(weights, 200, 10, 20, 50)] == [50, 50]
