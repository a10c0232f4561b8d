"""Scaffolding: a new site (``cityprofiles init``) and a new city (``cityprofiles new city``)."""
