"""Call export rows as CSV or JSON Lines, one batch at a time.

CSV cells a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage
return) get a leading apostrophe, as OWASP recommends; phone numbers can be masked to their last
four digits. JSON Lines is left as data: no spreadsheet reads it. Stored text never ends an
export half-way (the response has started): a lone surrogate is written as U+FFFD.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from aicaller.core.text import utf8

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CHARS = frozenset(FORMULA_STARTS)
KEPT_DIGITS = 4
COLUMNS = (
    "id",
    "started_at",
    "answered_at",
    "ended_at",
    "direction",
    "status",
    "from_number",
    "to_number",
    "duration_seconds",
    "end_reason",
    "sentiment",
    "resolved_by_ai",
    "escalation_state",
    "notes_count",
    "summary",
)
PHONE_INDEXES = (COLUMNS.index("from_number"), COLUMNS.index("to_number"))


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class Include(StrEnum):
    TRANSCRIPTS = "transcripts"
    NOTES = "notes"
    EVALUATIONS = "evaluations"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSONL: "application/x-ndjson",
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: ExportFormat = ExportFormat.CSV
    include: frozenset[Include] = frozenset()
    mask_phones: bool = False
    max_rows: int = 1_000_000


def mask_phone(number: str | None) -> str | None:
    """``+14155550123`` -> ``+*******0123``: only the last four digits stay."""
    if not number:
        return number
    keep = number[-KEPT_DIGITS:]
    head = number[: -KEPT_DIGITS or None]
    return "".join("*" if ch.isalnum() else ch for ch in head) + keep


def neutralise(cell: str) -> str:
    """A cell that cannot start a spreadsheet formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _csv_cell(value: Any) -> str:
    """One exported value as neutralised CSV text (the per-row fast path)."""
    if value is None:
        return ""
    text = value if type(value) is str else _text(value)
    return "'" + text if text[:1] in FORMULA_CHARS else text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class ExportWriter:
    """Turns batches of listed calls (and their extras) into encoded bytes."""

    def __init__(self, options: ExportOptions) -> None:
        self.options = options
        self.columns = list(COLUMNS) + [item.value for item in Include if item in options.include]

    def _record(
        self, row: Mapping[str, Any], extras: Mapping[str, Sequence[Any]]
    ) -> dict[str, Any]:
        record = {name: row.get(name) for name in COLUMNS}
        if self.options.mask_phones:
            record["from_number"] = mask_phone(record["from_number"])
            record["to_number"] = mask_phone(record["to_number"])
        for item in Include:
            if item in self.options.include:
                record[item.value] = list(extras.get(item.value, ()))
        return record

    def header(self) -> bytes:
        if self.options.format is ExportFormat.JSONL:
            return b""
        return self._csv([self.columns])

    def batch(
        self,
        rows: Sequence[Mapping[str, Any]],
        extras: Mapping[Any, Mapping[str, Sequence[Any]]],
    ) -> bytes:
        if self.options.format is ExportFormat.JSONL:
            records = (
                json.dumps(
                    _json_value(self._record(row, extras.get(row["id"], {}))
                                | {"metadata": row.get("metadata")}),
                    ensure_ascii=False,
                )
                for row in rows
            )  # fmt: skip
            return utf8("".join(record + "\n" for record in records))
        included = [item for item in Include if item in self.options.include]
        mask = self.options.mask_phones
        lines: list[list[str]] = []
        for row in rows:
            cells = [_csv_cell(row[name]) for name in COLUMNS]
            if mask:
                for index in PHONE_INDEXES:
                    cells[index] = neutralise(mask_phone(row[COLUMNS[index]]) or "")
            if included:
                found = extras.get(row["id"], {})
                cells += [self._cell(item, found.get(item.value, ())) for item in included]
            lines.append(cells)
        return self._csv(lines)

    @staticmethod
    def _cell(name: str, value: Any) -> str:
        if name == Include.TRANSCRIPTS:
            value = "\n".join(f"{t['speaker']}: {t['text']}" for t in value)
        elif name == Include.NOTES:
            value = "\n".join(n["body"] for n in value)
        elif name == Include.EVALUATIONS:
            value = "; ".join(
                f"{e['evaluator']} {_text(e['score'])}" + (" auto-fail" if e["auto_failed"] else "")
                for e in value
            )
        return neutralise(_text(value))

    @staticmethod
    def _csv(lines: list[list[str]]) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(lines)
        return utf8(buffer.getvalue())
