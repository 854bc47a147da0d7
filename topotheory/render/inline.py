"""Inline markdown subset shared by the renderers: ``code``, **bold**, *italic*, [links](url).

Examples
--------
>>> inline_html("see [a](#x) and `k<2` **now**")
'see <a href="#x">a</a> and <code>k&lt;2</code> <strong>now</strong>'
>>> format_cell(0.123456789), format_cell(None), format_cell(True)
('0.1235', '—', 'yes')
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

__all__ = ["format_cell", "inline_html", "slug"]

_TOKEN = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]+)\]\(([^)\s]+)\)")


def inline_html(text: str) -> str:
    """Convert the inline subset to HTML, escaping everything else."""
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        code, bold, italic, label, href = match.groups()
        if code is not None:
            out.append(f"<code>{html.escape(code, quote=False)}</code>")
        elif bold is not None:
            out.append(f"<strong>{inline_html(bold)}</strong>")
        elif italic is not None:
            out.append(f"<em>{inline_html(italic)}</em>")
        else:
            out.append(f'<a href="{html.escape(href)}">{inline_html(label)}</a>')
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def format_cell(value: Any, spec: str | None = None) -> str:
    """Human-readable cell text (data files keep full precision)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return format(value, spec or ".4g")
    if spec and isinstance(value, int):
        return format(value, spec)
    return str(value)


def slug(text: str) -> str:
    """An HTML anchor from any text (lowercase, ``-`` separated).

    Examples
    --------
    >>> slug("Theorem 3.3 / Corollary 3.4")
    'theorem-3-3-corollary-3-4'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
