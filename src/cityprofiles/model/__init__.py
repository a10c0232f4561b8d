"""The typed model: what a site, its configuration, a city, a network and an SDG are.

Pydantic models whose field names are the YAML keys editors write; the validated
:class:`~cityprofiles.model.site.Site` is what every later stage receives.
"""
