"""Marker shapes for the SVG charts and the network drawing, so that a series or a sector is told apart by its
shape as well as its colour (WCAG 1.4.1). Pure Python: the network maths module uses it too."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

SHAPES = ("circle", "square", "diamond", "triangle")


def mark(shape: str, x: float, y: float, r: float, fill: str) -> str:
    """An SVG element of `shape` centred on (x, y), about 2r across, filled with `fill` (escaped); the caller
    sets the outline on it or on its group."""
    fill_attr = f"fill={quoteattr(fill)}"
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {fill_attr}/>'
    if shape == "diamond":
        d = r * 1.3
        pts = f"{x:.1f},{y - d:.1f} {x + d:.1f},{y:.1f} {x:.1f},{y + d:.1f} {x - d:.1f},{y:.1f}"
        return f'<polygon points="{pts}" {fill_attr}/>'
    if shape == "triangle":
        pts = f"{x:.1f},{y - r * 1.3:.1f} {x + r * 1.2:.1f},{y + r:.1f} {x - r * 1.2:.1f},{y + r:.1f}"
        return f'<polygon points="{pts}" {fill_attr}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {fill_attr}/>'
