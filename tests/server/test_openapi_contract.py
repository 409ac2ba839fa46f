"""The server keeps its own OpenAPI contract: schemathesis (4.x) reads /openapi.json from a real
server process (SQLite, then PostgreSQL), generates valid and invalid requests for every
operation and checks each reply: no 5xx, a documented status code, a documented content type
and a body that matches the documented schema. It runs once as an admin and once as a
surveyor (who meets the 403s), against a municipality holding a little real data."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks
from schemathesis.core.failures import FailureGroup

from tests.server.helpers import home, ids, login, push, version_item
from tests.sync.conftest import start_server, stop_server
from tests.sync.fieldwork import add_users
from tests.sync.support import Tenant, new_tenant

CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
ROLES = ("admin", "sato")  # sato is a surveyor
EXAMPLES = 10  # per operation, role and mode (valid / invalid): bounded for CI
LOGOUT_TOKENS = 12  # spare tokens per role: POST /auth/logout must not end the main session


class Caller:
    """One logged-in user: a token for every call, and spare ones that logout may spend."""

    def __init__(self, tenant, name: str | None) -> None:  # noqa: ANN001 - a Tenant
        self.token = self._login(tenant, name)
        self.spare = [self._login(tenant, name) for _ in range(LOGOUT_TOKENS)]

    @staticmethod
    def _login(tenant, name: str | None) -> str:  # noqa: ANN001
        return login(tenant, name).headers["Authorization"].removeprefix("Bearer ")

    def headers_for(self, case: schemathesis.Case) -> dict[str, str]:
        token = self.token
        if case.operation.path == "/auth/logout":
            # Once the spares are spent a logged-out token is reused: a 401, also documented.
            token = self.spare.pop() if len(self.spare) > 1 else self.spare[0]
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def contract_server(request, tmp_path_factory):
    # Its own server: the fuzzed logins trip the per-address login limit, which would lock
    # the shared server's other tests out for minutes.
    srv = start_server(request.param, tmp_path_factory.mktemp(f"contract-{request.param}"))
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def contract_tenant(contract_server) -> Tenant:
    """A municipality with an office, a surveyor, and a disaster, building, survey and version
    (so the feeds and digests answer with real records, not only empty lists)."""
    tenant = new_tenant(contract_server)
    add_users(tenant, {"sato": "surveyor", "office": "office"})
    office = login(tenant, "office")
    ids = home(office, tenant.user("sato"))
    push(office, version_item(ids["survey"], {"walls": 1}))
    return tenant


@pytest.fixture(scope="module")
def callers(contract_tenant) -> dict[str, Caller]:
    return {role: Caller(contract_tenant, None if role == "admin" else role) for role in ROLES}


def _failures(operation, caller: Caller) -> list[str]:  # noqa: ANN001 - an APIOperation
    """Valid and invalid requests for one operation; the check failures, as text."""
    found = []
    modes = [GenerationMode.POSITIVE]
    if operation.body or any(operation.iter_parameters()):
        modes.append(GenerationMode.NEGATIVE)  # without inputs there is nothing to break
    for mode in modes:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=caller.headers_for(case), checks=CHECKS, timeout=10)

        try:
            run()
        except Unsatisfiable as err:
            # Free-form strings and raw bytes: every input is valid, none can be made invalid.
            if mode is GenerationMode.POSITIVE:
                found.append(f"{operation.label}: no valid request could be made: {err}")
        except (Exception, FailureGroup) as err:  # FailureGroup: the checks that failed
            found.append(f"{operation.label} ({mode.value}): {err}")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_keeps_the_contract(contract_server, callers, role):
    caller = callers[role]
    schema = schemathesis.openapi.from_url(
        contract_server.url + "/openapi.json", timeout=10,
        headers={"Authorization": f"Bearer {caller.token}"})
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    failures = [text for op in operations for text in _failures(op, caller)]
    assert not failures, "\n\n".join(failures)


# What the contract test found, pinned down: odd input is refused with a 4xx in the usual error
# body, never a 500, and a bad push item is refused alone.

def test_a_revision_past_64_bits_is_refused(contract_tenant):
    office = login(contract_tenant, "office")
    reply = office.get("/changes", params={"since": 1 << 70})  # was a 500 on SQLite
    assert reply.status_code == 422, reply.text
    assert reply.json() == {"error": "invalid", "detail": "query.since: less_than_equal"}


def test_text_the_database_cannot_store_is_refused(contract_server, contract_tenant):
    office = login(contract_tenant, "office")
    reply = office.get("/sync/manifest", params={"kind": "buildings", "after": "a\x00"})
    if contract_server.backend == "postgresql":  # PostgreSQL text holds no NUL: was a 500
        assert reply.status_code == 422, reply.text
        assert reply.json()["error"] == "invalid"
        assert "NUL" in reply.json()["detail"]
    else:
        assert reply.status_code == 200, reply.text


def test_a_push_item_with_unstorable_text_is_refused_alone(contract_server, contract_tenant):
    office = login(contract_tenant, "office")
    disaster, bad, nul = ids(), ids(), ids()
    items = [
        {"kind": "disaster", "id": disaster, "name": "豪雨", "hazard": "flood",
         "occurred_on": "2024-07-01"},
        # A lone surrogate: valid JSON, but no UTF-8 database stores it (was a 500).
        {"kind": "building", "id": bad, "disaster_id": disaster, "fields": {"address": "\ud800"}},
        {"kind": "building", "id": nul, "disaster_id": disaster,
         "fields": {"address": "輪島市2-2"}, "created_at": "2024\x00"},
    ]
    reply = office.post("/push", content=json.dumps({"items": items}),  # ASCII escapes
                        headers={"Content-Type": "application/json"})
    assert reply.status_code == 200, reply.text
    results = {r["id"]: r for r in reply.json()["results"]}
    assert results[disaster]["result"] == "created"
    assert (results[bad]["result"], results[bad]["code"]) == ("rejected", "invalid")
    nul_result = "rejected" if contract_server.backend == "postgresql" else "created"
    assert results[nul]["result"] == nul_result, results[nul]
    kept = {r["id"] for r in contract_server.query(
        "SELECT id FROM buildings WHERE disaster_id = ?", (disaster,))}
    assert kept == ({nul} if nul_result == "created" else set())
