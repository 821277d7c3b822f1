"""``meetrag bench``: ingestion, memory, index size and latency of meetrag against
a vanilla LangChain pipeline, on synthetic corpora of 1x, 10x, 100x the seeds.

``corpus`` makes the documents, ``worker`` measures one side in its own process,
``runner`` drives the workers, ``report`` turns their numbers into a table, JSON
and a chart. Nothing here is imported by the rest of ``rag``.
"""
