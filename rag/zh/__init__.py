"""Chinese text facts shared by cleaning, the meeting frame, the Q&A and the guard.

Started with numerals (``numerals``); the rest of the shared facts (dates, posts,
names, redaction marks, sentence splitting) still live in ``rag.question``,
``rag.rules_*`` and ``rag.chunking`` and move here one at a time, each with its tests.
"""
