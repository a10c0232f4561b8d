"""The pipeline: load -> validate -> render -> write, doing only what changed since the last run.

Public entry: :class:`Pipeline`, the one path for ``build``, ``check`` and the live
preview, with :func:`build` and :func:`check` for a single run and :func:`load_site` for
the validated site alone (:func:`renderer_for` renders it); a run hands back a :class:`BuildReport` and tells a
:class:`Progress` how far it is.

Modules: ``run`` (the recipe), ``site`` (content and validation, reusing unchanged
cities), ``plan`` (which files to make again), ``pages`` (rendering in worker
processes), ``writing`` (into a new folder or in place, then the search index),
``parallel``, ``progress`` and ``report``.
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.pipeline.parallel import default_jobs
    from cityprofiles.pipeline.progress import Progress, Silent
    from cityprofiles.pipeline.report import BuildReport
    from cityprofiles.pipeline.run import Pipeline, build, check, renderer_for
    from cityprofiles.pipeline.site import load_site

__all__ = [
    "BuildReport",
    "Pipeline",
    "Progress",
    "Silent",
    "build",
    "check",
    "default_jobs",
    "load_site",
    "renderer_for",
]
__getattr__ = lazy_public_entry(__name__)
