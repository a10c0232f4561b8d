"""Stage 3, render: the validated site -> page bytes, one Jinja2 environment per language.

The router knows every URL; the features (compare page with its map, open-data page,
search page) and JSON-LD are computed in Python and handed to the templates.
"""
