"""meetrag: offline question answering and summaries for Chinese meeting documents.

Importing this package is cheap: heavy libraries load inside the functions that need them.
"""

__version__ = "0.1.0"
