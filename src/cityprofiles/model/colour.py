"""WCAG 2.x contrast arithmetic, so SDG badges get a readable text colour at build time."""

from __future__ import annotations


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` as defined by WCAG 2.x.

    >>> round(relative_luminance("#FFFFFF"), 3)
    1.0
    """
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """Contrast ratio between two colours (1 to 21).

    >>> round(contrast_ratio("#19486A", "#FFFFFF"), 2)
    9.65
    """
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def readable_text_colour(background: str) -> str:
    """White when it reaches 4.5:1 on ``background`` (WCAG AA), otherwise near-black.

    >>> readable_text_colour("#FCC30B"), readable_text_colour("#A21942")
    ('#000000', '#FFFFFF')
    """
    return "#FFFFFF" if contrast_ratio(background, "#FFFFFF") >= 4.5 else "#000000"
