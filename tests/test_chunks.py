"""Pure tests of cobranza_core.chunks: delivery chunks within size and PDF budget."""

from cobranza_core.chunks import chunk_cost, split_chunks
from hypothesis import given
from hypothesis import strategies as st

WEIGHTS = st.lists(st.tuples(st.integers(0, 15), st.booleans()), max_size=300).map(
    lambda rows: [(i + 1, pdfs, letter) for i, (pdfs, letter) in enumerate(rows)]
)


def cost(chunk, by_id, letters_per_pdf):
    pdfs = sum(by_id[i][1] for i in chunk)
    letters = sum(1 for i in chunk if by_id[i][2])
    return chunk_cost(pdfs, letters, letters_per_pdf)


@given(
    WEIGHTS,
    st.integers(1, 50),
    st.integers(1, 20),
    st.integers(1, 25),
)
def test_chunks_cover_in_order_within_size_and_budget(weights, size, budget, lpp):
    chunks = split_chunks(weights, size, budget, lpp)
    by_id = {w[0]: w for w in weights}
    # every action once, in order, no empty chunk
    assert [i for chunk in chunks for i in chunk] == [w[0] for w in weights]
    assert all(chunks)
    for n, chunk in enumerate(chunks):
        assert len(chunk) <= size
        # over budget only when alone
        assert len(chunk) == 1 or cost(chunk, by_id, lpp) <= budget
        # greedy: the next action did not fit
        if n + 1 < len(chunks):
            grown = chunk + chunks[n + 1][:1]
            assert len(grown) > size or cost(grown, by_id, lpp) > budget


def test_letters_count_by_batch():
    # 20 letters render in one call: 40 letters are 2 renderings
    weights = [(i, 0, True) for i in range(1, 61)]
    assert [len(c) for c in split_chunks(weights, 200, 2, 20)] == [40, 20]


def test_an_email_with_invoice_pdfs_waits_for_the_next_chunk():
    weights = [(1, 0, False), (2, 4, False), (3, 7, False), (4, 0, False)]
    assert split_chunks(weights, 200, 10) == [[1, 2], [3, 4]]


def test_nothing_to_cut():
    assert split_chunks([], 200, 10) == []
