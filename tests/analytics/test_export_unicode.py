"""Stored text no UTF-8 encoder accepts (a lone surrogate, from before the API refused it) can
never cut an export short: the export is complete and valid, the bad character replaced."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from aicaller.analytics.export_format import COLUMNS, ExportFormat, ExportOptions, ExportWriter
from aicaller.database.models import Call
from tests.factories import Tenant

EXPORT = "/api/v1/analytics/exports/calls"
BAD = "\ud800"


async def _calls(client: httpx.AsyncClient, tenant: Tenant, count: int) -> list[str]:
    ids = []
    for index in range(count):
        response = await client.post(
            "/api/v1/calls",
            json={
                "direction": "inbound",
                "from_number": "+14155550123",
                "to_number": "+14155550124",
                "summary": f"call {index}",
            },
            headers=tenant.headers(),
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


async def test_a_stored_lone_surrogate_does_not_cut_the_json_lines_export(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    ids = await _calls(client, tenant, 3)
    async with app.state.database.transaction() as session:  # straight into the database
        await session.execute(
            update(Call)
            .where(Call.id == uuid.UUID(ids[1]))
            .values(call_metadata={f"key{BAD}": f"value{BAD}", "nested": [BAD]})
        )
    response = await client.get(EXPORT, params={"format": "jsonl"}, headers=tenant.headers())
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(ids)
    bad = next(line for line in lines if line["id"] == ids[1])
    assert bad["metadata"] == {"key\ufffd": "value\ufffd", "nested": ["\ufffd"]}
    read = await client.get(f"/api/v1/calls/{ids[1]}", headers=tenant.headers())
    assert read.status_code == 200, read.text
    listed = await client.get("/api/v1/calls", headers=tenant.headers())
    assert listed.status_code == 200, listed.text


def _row(**values: Any) -> dict[str, Any]:
    return dict.fromkeys(COLUMNS) | {"id": uuid.uuid4(), **values}


def test_csv_and_json_lines_replace_lone_surrogates() -> None:
    rows = [_row(summary=f"before {BAD} after", end_reason="\udfff"), _row(summary="fine")]
    csv_text = ExportWriter(ExportOptions()).batch(rows, {}).decode("utf-8")
    cells = list(csv.reader(io.StringIO(csv_text)))
    assert [row[-1] for row in cells] == ["before \ufffd after", "fine"]
    assert cells[0][9] == "\ufffd"
    jsonl = ExportWriter(ExportOptions(format=ExportFormat.JSONL)).batch(rows, {}).decode("utf-8")
    assert [json.loads(line)["summary"] for line in jsonl.splitlines()] == [
        "before \ufffd after",
        "fine",
    ]
