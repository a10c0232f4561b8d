"""The editor's local back end in the preview: Decap's proxy protocol (``POST /api/v1``),
saves merged into the YAML and checked by ``cityprofiles check`` before they are written,
and ``/admin/`` with it (:func:`editor_routes`). The editor's configuration and page
themselves are the build's (:mod:`cityprofiles.cms`).

Modules: ``http`` (the routes in the preview server), ``backend`` (Decap's actions),
``save`` (a save or a deletion, all or nothing), ``checking`` (``check`` on the site as it
would be after the save, kept from save to save so only what a save changes is read,
validated and rendered again), ``mirror`` (that site on disk: hard links kept in step).
"""
