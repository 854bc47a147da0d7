"""The assembled document (sections + provenance + rendered figures) handed to renderers.

Examples
--------
>>> from topotheory.render.blocks import Section
>>> doc = Document("T", (Section("a", "A"),), {"profile": "quick"})
>>> doc.figure_number("nope") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from topotheory.render.blocks import Section

__all__ = ["Document"]


@dataclass(frozen=True)
class Document:
    """Everything a renderer needs.

    ``figures`` maps figure names to PNG bytes (empty on the data-only path);
    ``figure_formats`` are the files written per figure (``figures/<name>.<fmt>``), so
    renderers can link the vector version; ``provenance`` is the dict written to
    ``provenance.json``.
    """

    title: str
    sections: tuple[Section, ...]
    provenance: dict[str, Any]
    figures: dict[str, bytes] = field(default_factory=dict)
    intro: tuple[str, ...] = ()
    figure_formats: tuple[str, ...] = ("png",)

    def figure_links(self, name: str) -> list[tuple[str, str]]:
        """(label, relative path) of every file written for figure ``name`` except PNG.

        Examples
        --------
        >>> Document("T", (), {}, figure_formats=("png", "svg")).figure_links("a")
        [('SVG', 'figures/a.svg')]
        """
        return [(fmt.upper(), f"figures/{name}.{fmt}") for fmt in self.figure_formats
                if fmt != "png"]

    def figure_number(self, name: str) -> int | None:
        """1-based number of a figure in reading order (None if unknown)."""
        names = [f.name for s in self.sections for f in s.figures]
        return names.index(name) + 1 if name in names else None
