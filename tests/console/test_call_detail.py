"""The call page: what it shows, hostile text shown as text, and its forms (notes, QA
override, live actions) with the API's roles and the CSRF token."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from tests.console.calls_data import hostile_call, make_call, placed_call
from tests.console.conftest import console_client, csrf_of
from tests.factories import Tenant
from tests.helpers import assert_max_queries


async def test_hostile_text_is_shown_escaped(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await hostile_call(client, tenant)
    async with console_client(app, tenant, "viewer") as console:
        page = await console.get(f"/app/calls/{call['id']}")
        listing = await console.get("/app/calls")
    assert page.status_code == 200
    for html in (page.text, listing.text):
        assert "<script>window" not in html
        assert "<img src" not in html
        assert 'href="javascript:' not in html
        assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert page.text.count("&lt;script&gt;window.pwned = 1&lt;/script&gt;") >= 3
    # A source that is a web address is a link; anything else is text.
    assert 'href="https://docs.example.com/hours"' in page.text
    assert "javascript:window.pwned=4" in page.text


async def test_detail_shows_the_record_and_costs_the_same_for_more_rows(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await make_call(
        client,
        tenant,
        transcript=[
            {"speaker": "caller", "text": "When do you open?", "offset_ms": 0},
            {"speaker": "agent", "text": "At nine.", "offset_ms": 2500, "sources": ["doc-1"]},
        ],
    )
    url = f"/app/calls/{call['id']}"
    async with console_client(app, tenant, "supervisor") as console:
        await console.get(url)  # warm: the default scorecard exists and the user is cached
        with assert_max_queries(20) as few:
            page = await console.get(url)
        for i in range(5):
            await client.post(
                f"/api/v1/calls/{call['id']}/notes",
                json={"body": f"n{i}"},
                headers=tenant.headers(),
            )
        await console.get(url)
        with assert_max_queries(few.count) as more:
            await console.get(url)
    assert more.count == few.count
    for text in ("When do you open?", "At nine.", "doc-1", "0:02", "Caller asked about opening"):
        assert text in page.text
    assert "Override the score" in page.text
    assert "No notes yet." in page.text


async def test_notes_are_added_edited_and_deleted_from_the_page(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await make_call(client, tenant)
    base = f"/app/calls/{call['id']}"
    async with console_client(app, tenant, "agent") as console:
        csrf = csrf_of(console, app)
        forged = await console.post(f"{base}/notes", data={"body": "sneaky"})
        assert forged.status_code == 403
        nul = await console.post(f"{base}/notes", data={"body": "a\x00b", "csrf_token": csrf})
        assert nul.status_code == 422
        added = await console.post(
            f"{base}/notes", data={"body": "Call back at 5", "csrf_token": csrf}
        )
        assert added.status_code == 303
        page = await console.get(base)
        note_id = re.search(r'id="note-([0-9a-f-]{36})"', page.text)
        assert note_id is not None
        note = f"{base}/notes/{note_id.group(1)}"
        editing = await console.get(f"{base}?edit_note={note_id.group(1)}")
        assert "Edit note" in editing.text
        edited = await console.post(note, data={"body": "Call back at 6", "csrf_token": csrf})
        assert edited.status_code == 303
        assert "Call back at 6" in (await console.get(base)).text
        htmx = await console.post(
            f"{note}/delete", headers={"HX-Request": "true", "X-CSRF-Token": csrf}
        )
        assert htmx.status_code == 303
    notes = await client.get(f"/api/v1/calls/{call['id']}/notes", headers=tenant.headers())
    assert notes.json()["items"] == []


async def test_viewers_see_no_forms_and_are_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await placed_call(client, tenant)
    base = f"/app/calls/{call['id']}"
    async with console_client(app, tenant, "viewer") as console:
        page = await console.get(base)
        for control in ("Add a note", "Override the score", "End call", "Transfer"):
            assert control not in page.text
        csrf = csrf_of(console, app)
        for path, data in (
            ("/notes", {"body": "hi"}),
            ("/end", {}),
            ("/evaluations", {"scorecard_id": call["id"], "result:x": "pass"}),
        ):
            refused = await console.post(base + path, data={**data, "csrf_token": csrf})
            assert refused.status_code == 403, path
            assert "does not allow" in refused.text
    async with console_client(app, tenant, "agent") as console:
        page = await console.get(base)
        assert "Add a note" in page.text
        assert "End call" not in page.text  # agents may not end calls (the API's Writer)


async def test_a_supervisor_overrides_the_qa_score(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call = await make_call(client, tenant)
    base = f"/app/calls/{call['id']}"
    async with console_client(app, tenant, "supervisor") as console:
        page = await console.get(base)
        scorecard = re.search(r'name="scorecard_id" value="([^"]+)"', page.text)
        keys = re.findall(r'name="result:([a-z0-9_]+)" value="pass"', page.text)
        assert scorecard is not None
        assert keys
        form = {f"result:{key}": "pass" for key in keys}
        form[f"result:{keys[0]}"] = "fail"
        data = {**form, "scorecard_id": scorecard.group(1), "comment": "Missed the greeting"}
        incomplete = await console.post(
            f"{base}/evaluations",
            data={
                "scorecard_id": scorecard.group(1),
                "result:nope": "pass",
                "csrf_token": csrf_of(console, app),
            },
        )
        assert incomplete.status_code == 422
        saved = await console.post(
            f"{base}/evaluations", data={**data, "csrf_token": csrf_of(console, app)}
        )
        assert saved.status_code == 303
        after = await console.get(base)
    assert "Missed the greeting" in after.text
    assert "by human" in after.text
    evaluations = await client.get(
        f"/api/v1/calls/{call['id']}/evaluations", headers=tenant.headers()
    )
    assert evaluations.json()["items"][0]["evaluator"] == "human"


async def test_live_actions_end_and_transfer_a_call_in_progress(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    live = await placed_call(client, tenant)
    other = await placed_call(client, tenant)
    async with console_client(app, tenant, "admin") as console:
        csrf = csrf_of(console, app)
        page = await console.get(f"/app/calls/{live['id']}")
        assert "End call" in page.text
        ended = await console.post(f"/app/calls/{live['id']}/end", data={"csrf_token": csrf})
        assert ended.status_code == 303
        again = await console.post(f"/app/calls/{live['id']}/end", data={"csrf_token": csrf})
        assert again.status_code == 409
        bad = await console.post(
            f"/app/calls/{other['id']}/transfer", data={"csrf_token": csrf, "to_number": "nope"}
        )
        assert bad.status_code == 422
        moved = await console.post(
            f"/app/calls/{other['id']}/transfer",
            data={"csrf_token": csrf, "to_number": "+14155550199", "reason": "billing"},
        )
        assert moved.status_code == 303
        done = await console.get(f"/app/calls/{other['id']}")
    assert "End call" not in done.text
    states = [
        (await client.get(f"/api/v1/calls/{c['id']}", headers=tenant.headers())).json()["status"]
        for c in (live, other)
    ]
    assert states == ["completed", "completed"]


async def test_another_business_call_is_not_found(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = await make_call(client, other_tenant)
    async with console_client(app, tenant, "admin") as console:
        page = await console.get(f"/app/calls/{theirs['id']}")
        note = await console.post(
            f"/app/calls/{theirs['id']}/notes",
            data={"body": "x", "csrf_token": csrf_of(console, app)},
        )
    assert page.status_code == 404
    assert "Not found" in page.text
    assert note.status_code == 404
