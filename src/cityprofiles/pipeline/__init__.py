"""The pipeline: load -> validate -> render -> write, doing only what changed since the last run.

One path for ``build``, ``check`` and the live preview.
"""
