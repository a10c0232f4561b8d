"""Stage 1, content: the files on disk -> plain data with the source position of every value.

YAML is read from the parser's event stream (never through a constructor that builds
objects), Markdown prose is checked and converted to sanitised HTML; every file is
untrusted and every problem points at ``file:line:col``.
"""
