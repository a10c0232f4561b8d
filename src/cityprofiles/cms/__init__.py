"""Editing in the browser: Decap CMS over the content files, locally and on a Git host.

The pieces, each a plain module:

* ``fields`` and ``settings``: the Decap configuration, generated from the content model's
  JSON Schema (one widget per field, translations side by side), never written by hand;
* ``admin``: the ``/admin/`` page (the vendored Decap bundle, its Content-Security-Policy),
  served by ``cityprofiles serve`` and published by ``build`` when ``site.yaml`` names a
  Git host;
* ``paths``, ``merge``, ``save`` and ``backend``: the local back end that Decap's proxy
  speaks (``POST /api/v1``), which reads and writes only inside ``content/`` and the media
  folder, merges a save into the existing YAML (comments and layout stay) and refuses a
  save that ``cityprofiles check`` would refuse;
* ``http``: the small adapter that puts the back end and ``/admin/`` into the preview server.
"""
