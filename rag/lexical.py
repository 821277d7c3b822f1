"""Lexical side of retrieval: jieba tokens and an incremental BM25 index.

BM25 (Okapi, k1=1.5, b=0.75, the ``rank_bm25.BM25Okapi`` formula and idf floor,
checked against it in tests) over an inverted index, so a query touches only the
postings of its own terms, and documents are added or removed without a rebuild.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import unicodedata
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 也 都 就 而 并 对 把 被 从 向 为 以 于 之 其 这 那 有 个 们 中 上 下 "
    "我 你 他 她 它 我们 你们 他们 该 此 各 又 还 很 要 会 将 着 过 吗 呢 吧 啊 么 什么 哪些 哪个 哪里 "
    "关于 谁 多少 几 怎么 怎样 如何 为什么 是否 请问 请 一下 呀 哪 何 啥 由 被 给 让 所 得 地 "
    "? ？ 、 ， , 。 ！ ! ： : ； ; “ ” ‘ ’ （ ） ( ) 《 》 — … · - _ / * XX".split()
)
_PUNCT = re.compile(r"^[\W_]+$")
_JIEBA_LOCK = threading.Lock()
_ADDED: set[str] = set()


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    # jieba caches its dictionary as /tmp/jieba.cache, private to whoever ran it first:
    # every other user then rebuilds it and logs a traceback on failing to replace it.
    jieba.dt.cache_file = f"jieba.meetrag-{os.getuid() if hasattr(os, 'getuid') else 0}.cache"
    jieba.initialize()
    for w in MEETING_WORDS:  # 推进会 is one word in a question about "the 推进会"
        jieba.add_word(w, freq=50000, tag="n")
    return jieba


MEETING_WORDS = ("座谈会", "现场会", "推进会", "动员会", "部署会", "培训会", "交流会", "研讨会", "汇报会", "表彰会", "常务会")


def add_terms(terms: Iterable[str]) -> None:
    """Teach jieba the documents' own terms (``1331``, ``一亲三心``) so they stay whole.

    A term may carry a part-of-speech tag after a tab (``刘玉杰\tnr``), so names
    found at ingest are tagged as people by later POS tagging too.
    """
    jb = _jieba()
    with _JIEBA_LOCK:
        for t in terms:
            if t and t not in _ADDED:
                word, _, tag = t.partition("\t")
                jb.add_word(word, freq=50000, tag=tag or None)
                _ADDED.add(t)


_QUOTED = re.compile(r"[“「『\"]([^”」』\"\n]{2,10})[”」』\"]")


def quoted_terms(text: str) -> list[str]:
    """Short quoted coinages such as “1331” or “一亲三心”, in order, unique."""
    out: list[str] = []
    for m in _QUOTED.finditer(text):
        term = m.group(1).strip()
        if term and not re.search(r"[，。,！？!?、\s]", term) and term not in out:
            out.append(term)
    return out


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens, lower-cased and width-normalised, minus stopwords."""
    text = unicodedata.normalize("NFKC", text).lower()
    jb = _jieba()
    with _JIEBA_LOCK:  # jieba's tokenizer is not thread-safe while the dictionary changes
        words = jb.lcut_for_search(text)
    return [w for w in (w.strip() for w in words) if w and w not in STOPWORDS and not _PUNCT.match(w)]


COLUMN_ENTRIES = 1_000_000  # posting entries kept as scoring columns (~24 MB)


class _Posting:
    """One term's posting: rows of the items that hold it and how often, as 4-byte
    arrays (a dict entry per item cost ~28 bytes: 5 million postings at 5,000 documents)."""

    __slots__ = ("rows", "tfs")

    def __init__(self) -> None:
        self.rows = array("I")
        self.tfs = array("I")

    def __len__(self) -> int:
        return len(self.rows)


class BM25Index:
    """Okapi BM25 over an inverted index keyed by an opaque item id.

    Scoring runs on arrays: each term's posting is turned once into rows, term
    frequencies and lengths (kept until the index changes), and a query adds each
    term's column of weights into one score array. The arithmetic is the per-item
    formula's, in the same order, so the scores are the same floats; what changed is
    the cost of a common term at 500 documents (a 4,000-item posting: ~1.5 ms in a
    Python loop, ~20 µs here), and the mean idf, computed once per change of the
    index instead of once per query (#16).

    Storage is compact (#16, 5,000 documents): an item is a row number, given in the
    order items are added; a posting is two arrays of 4-byte integers (rows, term
    frequencies) and the lengths one more. A removed item leaves a hole (length 0,
    in no posting) until holes outnumber the items, when the rows are renumbered.
    """

    def __init__(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.postings: dict[str, _Posting] = {}
        self.total_len = 0
        self._items: list[str | None] = []  # row -> item (None: removed)
        self._rows: dict[str, int] = {}  # item -> row
        self._lengths = array("I")  # row -> tokens in the item (0: removed)
        self._version = 0  # bumped by every add and remove: the arrays below follow it
        self._arrays_version = -1
        # term -> rows, tf, lengths (24 bytes an entry), the most recently used last, at most
        # COLUMN_ENTRIES entries in all: a server asked new words all day would otherwise
        # keep a column for each (a common word is 1.4 MB at 5,000 documents).
        self._columns: OrderedDict[str, tuple[Any, Any, Any]] = OrderedDict()
        self._column_entries = 0
        self._mean_idf_value: float | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, item: object) -> bool:
        return item in self._rows

    def length(self, item: str) -> int:
        """Tokens of ``item`` (KeyError when it is not indexed)."""
        return int(self._lengths[self._rows[item]])

    def df(self, term: str) -> int:
        """Items holding ``term``."""
        posting = self.postings.get(term)
        return len(posting) if posting is not None else 0

    def posting(self, term: str) -> dict[str, int]:
        """``{item: term frequency}`` of ``term``, items in the order they were added."""
        posting = self.postings.get(term)
        if posting is None:
            return {}
        return {self._items[r]: tf for r, tf in zip(posting.rows, posting.tfs, strict=True)}  # type: ignore[misc]

    def add(self, item: str, tokens: Sequence[str]) -> None:
        if item in self._rows:
            self.remove(item)
        row = len(self._items)
        self._items.append(item)
        self._rows[item] = row
        self._lengths.append(len(tokens))
        for term, tf in Counter(tokens).items():
            posting = self.postings.get(term)
            if posting is None:
                posting = self.postings[term] = _Posting()
            posting.rows.append(row)
            posting.tfs.append(tf)
        self.total_len += len(tokens)
        self._version += 1

    def remove(self, item: str) -> None:
        self.remove_many([item])

    def remove_many(self, items: Iterable[str]) -> None:
        """Drop ``items`` (those not indexed are ignored): one pass over the postings."""
        import numpy as np

        rows = [self._rows.pop(i) for i in items if i in self._rows]
        if not rows:
            return
        dead = np.zeros(len(self._items), dtype=bool)
        dead[rows] = True
        for row in rows:
            self.total_len -= self._lengths[row]
            self._lengths[row] = 0
            self._items[row] = None
        for term in list(self.postings):
            posting = self.postings[term]
            # Views of the arrays are never kept: an array with a view cannot grow.
            hit = dead[np.frombuffer(posting.rows, dtype=np.uint32)]
            if hit.any():
                keep = ~hit
                kept_rows = np.frombuffer(posting.rows, dtype=np.uint32)[keep].tobytes()
                kept_tfs = np.frombuffer(posting.tfs, dtype=np.uint32)[keep].tobytes()
                if kept_rows:
                    posting.rows, posting.tfs = array("I"), array("I")
                    posting.rows.frombytes(kept_rows)
                    posting.tfs.frombytes(kept_tfs)
                else:
                    del self.postings[term]
        self._version += 1
        if len(self._items) - len(self._rows) > max(len(self._rows), 1024):
            self._renumber()

    def _renumber(self) -> None:
        """Rows again 0..n-1 in the items' order, without the holes removals left."""
        import numpy as np

        live = [r for r, item in enumerate(self._items) if item is not None]
        new_row = np.zeros(len(self._items), dtype=np.uint32)
        new_row[live] = np.arange(len(live), dtype=np.uint32)
        for posting in self.postings.values():
            moved = new_row[np.frombuffer(posting.rows, dtype=np.uint32)].tobytes()
            posting.rows = array("I")
            posting.rows.frombytes(moved)
        self._items = [self._items[r] for r in live]
        self._lengths = array("I", (self._lengths[r] for r in live))
        self._rows = {item: r for r, item in enumerate(self._items)}  # type: ignore[misc]
        self._version += 1

    def idf(self, term: str) -> float:
        """rank_bm25's idf: log((N - df + .5) / (df + .5)), floored at epsilon * mean idf."""
        n = len(self._rows)
        df = self.df(term)
        if n == 0 or df == 0:
            return 0.0
        value = math.log((n - df + 0.5) / (df + 0.5))
        return value if value >= 0 else self.epsilon * self._mean_idf()

    def _mean_idf(self) -> float:
        self._sync()
        if self._mean_idf_value is None:
            n = len(self._rows)
            # fsum: exact, so independent of the order of the postings, which depends on
            # the order documents were added and removed in this process.
            self._mean_idf_value = (
                math.fsum(math.log((n - len(p) + 0.5) / (len(p) + 0.5)) for p in self.postings.values())
                / len(self.postings)
                if self.postings
                else 0.0
            )
        return self._mean_idf_value

    def _sync(self) -> None:
        """Drop the columns and the mean idf when the index changed since they were made."""
        if self._arrays_version != self._version:
            self._columns = OrderedDict()
            self._column_entries = 0
            self._mean_idf_value = None
            self._arrays_version = self._version

    def _column(self, term: str, posting: _Posting) -> tuple[Any, Any, Any]:
        import numpy as np

        column = self._columns.get(term)
        if column is not None:
            self._columns.move_to_end(term)
        else:
            rows = np.frombuffer(posting.rows, dtype=np.uint32).astype(np.int64)  # copies: the arrays may grow
            column = (
                rows,
                np.frombuffer(posting.tfs, dtype=np.uint32).astype(np.float64),
                np.frombuffer(self._lengths, dtype=np.uint32)[rows].astype(np.float64),
            )
            self._columns[term] = column
            self._column_entries += len(rows)
            while self._column_entries > COLUMN_ENTRIES and len(self._columns) > 1:
                self._column_entries -= len(self._columns.popitem(last=False)[1][0])
        return column

    def _score_array(self, query: Sequence[str]) -> tuple[Any, Any] | None:
        """(scores, touched) by row; None when empty."""
        import numpy as np

        if not self._rows:
            return None
        self._sync()
        n = len(self._rows)
        avg = self.total_len / n
        k1, b = self.k1, self.b
        acc = np.zeros(len(self._items), dtype=np.float64)
        touched = np.zeros(len(self._items), dtype=bool)
        for term in query:
            posting = self.postings.get(term)
            if not posting:
                continue
            df = len(posting)
            idf = math.log((n - df + 0.5) / (df + 0.5))
            if idf < 0:
                idf = self.epsilon * self._mean_idf()
            rows, tf, dl = self._column(term, posting)
            # Written as the per-item formula was, operation for operation: the same floats.
            acc[rows] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avg))
            touched[rows] = True
        return acc, touched

    def _restrict(self, touched: Any, allowed: set[str] | None) -> Any:
        import numpy as np

        if allowed is None:
            return np.flatnonzero(touched)
        rows = np.fromiter((self._rows[i] for i in allowed if i in self._rows), dtype=np.int64)
        return rows[touched[rows]]

    def scores(self, query: Sequence[str], allowed: set[str] | None = None) -> dict[str, float]:
        got = self._score_array(query)
        if got is None:
            return {}
        acc, touched = got
        return {self._items[r]: float(acc[r]) for r in self._restrict(touched, allowed)}

    def top(self, query: Sequence[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """The ``k`` best items, best first, equal scores by id."""
        import numpy as np

        got = self._score_array(query)
        if got is None or k <= 0:
            return []
        acc, touched = got
        rows = self._restrict(touched, allowed)
        if len(rows) > k:
            # Everything scoring at least the k-th best score: ties at the cut stay whole.
            kth = np.partition(acc[rows], len(rows) - k)[len(rows) - k]
            rows = rows[acc[rows] >= kth]
        ranked = sorted(((self._items[r], float(acc[r])) for r in rows), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:k]
