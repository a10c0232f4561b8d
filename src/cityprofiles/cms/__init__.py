"""Editing in the browser: Decap CMS over the content files, locally and on a Git host.

Public entry: :func:`build_files` (the ``/admin/`` files a build publishes when
``site.yaml`` names a Git host) and :func:`write_configurations` (the editor's
configuration, written by ``cityprofiles schema`` for review); for the preview's back end
(:mod:`cityprofiles.server.editor`), what it serves and how a save is merged and confined.

The pieces, each a plain module:

* ``fields``: the Decap configuration, generated from the content model's JSON Schema (one
  widget per field, translations side by side), never written by hand; ``decap`` puts it
  together (the settings of ``site.yaml``'s ``cms:`` are part of the model,
  :class:`~cityprofiles.model.CmsSettings`);
* ``admin``: the ``/admin/`` page (the vendored Decap bundle, its Content-Security-Policy),
  served by ``cityprofiles serve`` and published by ``build`` when ``site.yaml`` names a
  Git host;
* ``paths`` and ``merge``: where a save may write (inside ``content/`` and the media
  folder) and how it is merged into the existing YAML (comments and layout stay).

The back end that uses them runs in the preview server (:mod:`cityprofiles.server.editor`):
it checks a save with ``cityprofiles check``, so it comes after the pipeline, while this
package comes before it (the build publishes the editor).
"""

from typing import TYPE_CHECKING

from cityprofiles import lazy_public_entry

if TYPE_CHECKING:
    from cityprofiles.cms.admin import (
        ADMIN,
        PROXY_PATH,
        build_files,
        csp,
        local_files,
        write_configurations,
    )
    from cityprofiles.cms.decap import MEDIA_FOLDER, EditorSite, read_site
    from cityprofiles.cms.merge import MergeError, Shape, merge_text, plain
    from cityprofiles.cms.paths import Checked, PathRefused, check_path

__all__ = [
    "ADMIN",
    "MEDIA_FOLDER",
    "PROXY_PATH",
    "Checked",
    "EditorSite",
    "MergeError",
    "PathRefused",
    "Shape",
    "build_files",
    "check_path",
    "csp",
    "local_files",
    "merge_text",
    "plain",
    "read_site",
    "write_configurations",
]
__getattr__ = lazy_public_entry(__name__)
