"""The meeting frame: what a document says about its meeting, extracted once per document.

``frame.extract(doc)`` reads the frame by rule (every value with evidence); ``store.FrameStore``
keeps it beside the document in the index, versioned, so a new extractor re-reads the
documents without re-embedding them. Summaries are views of the frame
(``rag.summary_render``), and the Q&A answers slot questions from it (``rag.answer_frame``).
"""
