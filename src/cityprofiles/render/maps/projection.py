"""Map projections: from degrees to a plane (unit sphere; x east, y north) and back.

* :class:`Azimuthal` — Lambert azimuthal equal-area centred on the map, the projection
  the EU uses for Europe (EPSG:3035 is this one centred on 52°N 10°E). Centred on the
  map's own middle, shapes and areas stay true across a continent.
* :class:`EqualEarth` — the Equal Earth world projection (Šavrič, Patterson, Jenny 2018)
  for the overview of partners on other continents: the familiar world-map shape,
  equal-area.

Each projects whole :class:`~cityprofiles.render.maps.geodata.Shape` s with their precomputed
sines and cosines (:meth:`project_shape`), the hot path of drawing a map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from cityprofiles.render.maps.geodata import Shape


class Projection(Protocol):
    """What a map needs from a projection; equal projections draw equal maps."""

    key: tuple[object, ...]

    def forward(self, lon: float, lat: float) -> tuple[float, float]: ...

    def inverse(self, x: float, y: float) -> tuple[float, float] | None: ...

    def project_shape(
        self, shape: Shape, indexes: Sequence[int]
    ) -> tuple[list[float], list[float]]: ...


class Azimuthal:
    """Lambert azimuthal equal-area, centred on (``lon0``, ``lat0``).

    >>> p = Azimuthal(5.0, 52.0)
    >>> p.forward(5.0, 52.0)
    (0.0, 0.0)
    >>> x, y = p.forward(6.0, 52.0); x > 0 and abs(y) < 0.001
    True
    >>> [round(v, 6) for v in p.inverse(*p.forward(-3.2, 40.4))]
    [-3.2, 40.4]
    """

    def __init__(self, lon0: float, lat0: float) -> None:
        self.key: tuple[object, ...] = ("azimuthal", lon0, lat0)
        self.lon0, self.lat0 = lon0, lat0
        self.sin_lon0, self.cos_lon0 = math.sin(math.radians(lon0)), math.cos(math.radians(lon0))
        self.sin_lat0, self.cos_lat0 = math.sin(math.radians(lat0)), math.cos(math.radians(lat0))

    def _xy(
        self, sin_lon: float, cos_lon: float, sin_lat: float, cos_lat: float
    ) -> tuple[float, float]:
        sin_d = sin_lon * self.cos_lon0 - cos_lon * self.sin_lon0
        cos_d = cos_lon * self.cos_lon0 + sin_lon * self.sin_lon0
        cos_c = self.sin_lat0 * sin_lat + self.cos_lat0 * cos_lat * cos_d
        k = math.sqrt(2.0 / max(1.0 + cos_c, 1e-9))
        return k * cos_lat * sin_d, k * (self.cos_lat0 * sin_lat - self.sin_lat0 * cos_lat * cos_d)

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        lam, phi = math.radians(lon), math.radians(lat)
        return self._xy(math.sin(lam), math.cos(lam), math.sin(phi), math.cos(phi))

    def inverse(self, x: float, y: float) -> tuple[float, float] | None:
        rho = math.hypot(x, y)
        if rho > 2.0:
            return None
        if rho < 1e-12:
            return self.lon0, self.lat0
        c = 2 * math.asin(rho / 2)
        sin_c, cos_c = math.sin(c), math.cos(c)
        phi = math.asin(cos_c * self.sin_lat0 + y * sin_c * self.cos_lat0 / rho)
        lam = math.atan2(x * sin_c, rho * self.cos_lat0 * cos_c - y * self.sin_lat0 * sin_c)
        return wrap(self.lon0 + math.degrees(lam)), math.degrees(phi)

    def project_shape(
        self, shape: Shape, indexes: Sequence[int]
    ) -> tuple[list[float], list[float]]:
        s_lon0, c_lon0, s_lat0, c_lat0 = self.sin_lon0, self.cos_lon0, self.sin_lat0, self.cos_lat0
        sin_lon, cos_lon, sin_lat, cos_lat = (
            shape.sin_lon,
            shape.cos_lon,
            shape.sin_lat,
            shape.cos_lat,
        )
        sqrt = math.sqrt
        xs: list[float] = []
        ys: list[float] = []
        for i in indexes:
            sl, cl, sp, cp = sin_lon[i], cos_lon[i], sin_lat[i], cos_lat[i]
            sin_d = sl * c_lon0 - cl * s_lon0
            cos_d = cl * c_lon0 + sl * s_lon0
            k = sqrt(2.0 / max(1.0 + s_lat0 * sp + c_lat0 * cp * cos_d, 1e-9))
            xs.append(k * cp * sin_d)
            ys.append(k * (c_lat0 * sp - s_lat0 * cp * cos_d))
        return xs, ys


_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


class EqualEarth:
    """Equal Earth, with central meridian ``lon0``.

    >>> p = EqualEarth(10.0)
    >>> p.forward(10.0, 0.0)
    (0.0, 0.0)
    >>> [round(v, 6) for v in p.inverse(*p.forward(136.65, 36.56))]
    [136.65, 36.56]
    """

    def __init__(self, lon0: float) -> None:
        self.key: tuple[object, ...] = ("equal-earth", lon0)
        self.lon0 = lon0

    @staticmethod
    def _xy(lam: float, phi: float) -> tuple[float, float]:
        theta = math.asin(_M * math.sin(phi))
        t2 = theta * theta
        t6 = t2 * t2 * t2
        x = 2 * math.sqrt(3) * lam * math.cos(theta)
        x /= 3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1)
        return x, theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        return self._xy(math.radians(wrap(lon - self.lon0)), math.radians(lat))

    def inverse(self, x: float, y: float) -> tuple[float, float] | None:
        theta = y
        for _ in range(20):
            t2 = theta * theta
            t6 = t2 * t2 * t2
            f = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1) - y
            step = f / (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1)
            theta -= step
            if abs(step) < 1e-12:
                break
        sin_phi = math.sin(theta) / _M
        if not -1 <= sin_phi <= 1:
            return None
        t2 = theta * theta
        t6 = t2 * t2 * t2
        lam = 3 * x * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1)
        lam /= 2 * math.sqrt(3) * math.cos(theta)
        if abs(lam) > math.pi + 1e-9:
            return None
        return wrap(self.lon0 + math.degrees(lam)), math.degrees(math.asin(sin_phi))

    def project_shape(
        self, shape: Shape, indexes: Sequence[int]
    ) -> tuple[list[float], list[float]]:
        # Unwrapped from point to point, then held at the far side of the world (the
        # meridian opposite lon0): a shape that crosses the date line or that far side is
        # pressed onto the world's edge instead of jumping across the map.
        xs: list[float] = []
        ys: list[float] = []
        lon, lat, lon0 = shape.lon, shape.lat, self.lon0
        previous = None
        for i in indexes:
            d = lon[i] - lon0
            if previous is None:
                d = wrap(d)
            else:
                d += 360.0 * round((previous - d) / 360.0)
            previous = d
            x, y = self._xy(math.radians(min(180.0, max(-180.0, d))), math.radians(lat[i]))
            xs.append(x)
            ys.append(y)
        return xs, ys


def wrap(lon: float) -> float:
    """A longitude in [-180, 180).

    >>> wrap(190.0), wrap(-180.0), wrap(45.0)
    (-170.0, -180.0, 45.0)
    """
    return (lon + 180.0) % 360.0 - 180.0
