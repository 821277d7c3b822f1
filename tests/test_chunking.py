import pytest

from rag.chunking import chunk_document, chunk_spans, count_tokens, split_sentences


def test_count_tokens_matches_cl100k_known_values():
    assert count_tokens("hello world") == 2
    assert count_tokens("") == 0


def test_split_sentences_keeps_quotations_whole():
    text = "他说:“第一句。第二句!”然后离开。下一句;再一句\n新行"
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["他说:“第一句。第二句!”", "然后离开。", "下一句;", "再一句", "新行"]


def test_unbalanced_quote_is_closed_by_the_line_break():
    text = "“没有闭合。还在引号里。\n下一行。"
    assert [text[s:e] for s, e in split_sentences(text)] == ["“没有闭合。还在引号里。", "下一行。"]


@pytest.mark.parametrize("budget, overlap", [(40, 0), (60, 20), (300, 60)])
def test_chunks_respect_budget_and_cover_text(seed_docs, budget, overlap):
    for doc in seed_docs.values():
        chunks = chunk_document(doc, budget, overlap)
        covered = set()
        for c in chunks:
            assert c.text == doc.text[c.start : c.end]
            assert count_tokens(c.text) <= budget or "，" not in c.text  # only an uncuttable piece may exceed
            covered.update(range(c.start, c.end))
        content = {i for i, ch in enumerate(doc.text) if not ch.isspace()}
        assert content <= covered


def test_overlap_is_whole_sentences(seed_docs):
    doc = seed_docs["004_41f6191bd45bc140"]
    chunks = chunk_document(doc, 120, 40)
    starts = {s for s, _ in split_sentences(doc.text)}
    for c in chunks:
        assert c.start in starts or doc.text[c.start - 1] in "，,、：:"


def test_long_quotation_is_cut_only_when_over_budget():
    quote = "“" + "，".join(["这是很长的一段话"] * 30) + "。”"
    spans = chunk_spans(quote, 50, 0)
    assert len(spans) > 1
    assert chunk_spans("“短句。也短。”", 50, 0) == [(0, 8)]
