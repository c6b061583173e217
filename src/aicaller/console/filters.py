"""The templates' filters: links only to web addresses, ages, search snippets, figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup, escape


def web_link(value: object) -> str | None:
    """``value`` as a link target when it is an http(s) URL; anything else (``javascript:``,
    ``data:``) is shown as text only."""
    text = str(value)
    return text if urlsplit(text).scheme in {"http", "https"} else None


def age(since: datetime, now: datetime | None = None) -> str:
    """How long ago ``since`` was, as a person reads it in a queue: "5 min", "3 h 12 min"."""
    minutes = max(0, int(((now or datetime.now(UTC)) - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def bold_marks(snippet: str) -> Markup:
    """A search snippet with its ``**match**`` marks as <strong>; everything else escaped."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(snippet))))  # noqa: S704


def figure_label(name: str) -> str:
    """``ai_containment_rate`` -> "AI containment rate", ``avg_qa_score`` -> "Average QA score"."""
    words = name.removesuffix("_seconds").replace("avg_", "average_").replace("ai_", "AI_")
    text = words.replace("_", " ").replace("qa", "QA")
    return text[:1].upper() + text[1:]


def figure_value(value: float | None, name: str) -> str:
    """A dashboard figure as a person reads it: rates in percent, durations in minutes."""
    if value is None:
        return "\u2013"  # an en dash: no figure
    if name.endswith("_rate"):
        return f"{value * 100:.0f}%"
    if name.endswith("_seconds"):
        minutes, seconds = divmod(int(value), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if hours else f"{minutes}:{seconds:02d}"
    return f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:g}"


def install_filters(env: Environment) -> None:
    for function in (web_link, age, bold_marks, figure_label, figure_value):
        env.filters[function.__name__] = function
