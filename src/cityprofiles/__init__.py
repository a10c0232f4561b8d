"""cityprofiles: a static-site generator for bilingual profiles of cities' international work.

The pipeline is visible in the module list: ``load`` (files to data with source
positions) -> ``validate`` (data to a typed ``model``) -> ``render`` (Jinja2, one
environment per language) -> ``write`` (atomic swap of the output folder), glued
together by ``build``. Heavy modules are imported lazily so ``--help`` stays fast.
"""

__version__ = "0.1.0"
