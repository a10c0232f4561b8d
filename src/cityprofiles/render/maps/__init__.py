"""Maps drawn at build time: real geography, projected, clipped and labelled, as inline SVG.

No tile server, no request from the visitor's browser, no JavaScript. The stages, one
module each:

* :mod:`~cityprofiles.render.maps.geodata` — Natural Earth coastlines and borders shipped as
  package data (``data/geography.json``, made by ``scripts/make_geodata.py``);
* :mod:`~cityprofiles.render.maps.projection` — Lambert azimuthal equal-area centred on the
  map (Europe), Equal Earth for the overview of far partners;
* :mod:`~cityprofiles.render.maps.frame` — the drawing's extent, fitted to the places;
* :mod:`~cityprofiles.render.maps.paths` — land and borders clipped to the frame and simplified
  to the output scale, as compact SVG paths;
* :mod:`~cityprofiles.render.maps.places` — places, partner links, far partners and clusters;
* :mod:`~cityprofiles.render.maps.labels` — label placement without overlaps;
* :mod:`~cityprofiles.render.maps.svg` — the ``<svg>`` elements;
* :mod:`~cityprofiles.render.maps.site_maps` — the compare page's and a city page's map from a
  validated site.
"""

from cityprofiles.render.maps.places import MapLine, MapPoint, distance_km, split_far

__all__ = ["MapLine", "MapPoint", "distance_km", "split_far"]
