"""Call exports: CSV and JSON Lines with the list filters, neutralised cells, masking, caps."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
from fastapi import FastAPI

from aicaller.analytics.export_format import FORMULA_STARTS, mask_phone, neutralise
from aicaller.database.models import Call
from tests.analytics.conftest import set_timezone
from tests.analytics.seed import PERIOD, TZ, seed
from tests.calls.seed import add_notes, add_turns
from tests.factories import Tenant

EXPORT = "/api/v1/analytics/exports/calls"


async def _csv(client: httpx.AsyncClient, tenant: Tenant, **params: Any) -> list[list[str]]:
    response = await client.get(EXPORT, params=params, headers=tenant.headers("supervisor"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="calls-')
    return list(csv.reader(io.StringIO(response.text)))


def test_neutralise_and_mask() -> None:
    for start in FORMULA_STARTS:
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("plain") == "plain"
    assert mask_phone("+14155550123") == "+*******0123"
    assert mask_phone("") == ""


async def test_csv_with_everything_and_no_formula_cells(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    other_tenant: Tenant,
    seeded: dict[str, Call],
) -> None:
    await set_timezone(client, other_tenant, TZ)
    await seed(app.state.database, other_tenant.business_id)
    c1 = seeded["c1"].id
    await add_turns(app.state.database, tenant.business_id, c1, ["=cmd|' /C calc'!A0", "Hello"])
    await add_notes(app.state.database, tenant.business_id, c1, 2)
    rows = await _csv(
        client, tenant, include=["transcripts", "notes", "evaluations"], order="asc", **PERIOD
    )
    header, body = rows[0], rows[1:]
    assert header[-3:] == ["transcripts", "notes", "evaluations"]
    assert len(body) == 8  # the period's calls, this business's only
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_id) == {
        str(seeded[c].id) for c in ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8")
    }
    first = by_id[str(c1)]
    assert first["transcripts"] == "caller: =cmd|' /C calc'!A0\nagent: Hello"
    assert first["notes"] == "note 0\nnote 1"
    assert first["evaluations"] == "ai 80.0; human 90.0"  # newest first
    assert first["from_number"] == "'+12125550001"
    web = by_id[str(seeded["c4"].id)]
    assert web["from_number"] == '\'=HYPERLINK("x")'
    assert web["summary"] == "'@SUM(A1:A2)"
    assert by_id[str(seeded["c3"].id)]["evaluations"] == "ai 0.0 auto-fail"
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell


async def test_filters_masking_and_the_row_cap(
    client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    rows = await _csv(client, tenant, direction="outbound", mask_phones=True, **PERIOD)
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["id"] == str(seeded["c3"].id)
    assert (record["from_number"], record["to_number"]) == ("'+*******0100", "'+*******0002")
    assert len(await _csv(client, tenant, status=["no_answer", "busy"])) == 3
    capped = await client.get(EXPORT, params={"max_rows": 3}, headers=tenant.headers())
    assert capped.headers["x-export-row-cap"] == "3"
    assert len(capped.text.strip().splitlines()) == 4  # header + 3
    bad = await client.get(EXPORT, params={"from": "2026-03-10", "to": "2026-03-01"},
                           headers=tenant.headers())  # fmt: skip
    assert bad.status_code == 422


async def test_jsonl_nests_what_was_included(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    await add_turns(app.state.database, tenant.business_id, seeded["c2"].id, ["hi", "hello"])
    response = await client.get(
        EXPORT,
        params={"format": "jsonl", "include": ["transcripts", "evaluations"], **PERIOD},
        headers=tenant.headers(),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == 8
    # newest first, as the calls list
    assert lines[0]["id"] == str(seeded["c4"].id)
    assert lines[0]["from_number"] == '=HYPERLINK("x")'  # JSON is data, left as it is
    c2 = next(line for line in lines if line["id"] == str(seeded["c2"].id))
    assert [t["text"] for t in c2["transcripts"]] == ["hi", "hello"]
    assert [(e["evaluator"], e["score"]) for e in c2["evaluations"]] == [("ai", 40.0)]
    assert c2["escalation_state"] == "open"
    assert "notes" not in c2
    assert c2["metadata"] == {}
