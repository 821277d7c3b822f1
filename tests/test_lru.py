"""The bounded caches of documents and frames."""

from __future__ import annotations

import threading

from rag.lru import LRU


def test_the_least_recently_used_entry_goes_first():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_pop_and_keep():
    cache: LRU[tuple[str, str], int] = LRU(10)
    for i, k in enumerate("abc"):
        cache.put((k, "v1"), i)
    cache.pop(("a", "v1"))
    cache.pop(("zz", "v1"))  # absent: nothing happens
    cache.keep(lambda key: key[0] != "b")
    assert len(cache) == 1 and cache.get(("c", "v1")) == 2


def test_threads_never_exceed_the_bound():
    cache: LRU[int, int] = LRU(50)

    def fill(start: int) -> None:
        for i in range(start, start + 500):
            cache.put(i, i)
            cache.get(i - 3)

    threads = [threading.Thread(target=fill, args=(n * 1000,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 50
