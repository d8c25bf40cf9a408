"""Property-based runs (schemathesis) against the live server: the answers keep the contract.

* **Stateless**: positive and negative cases for every operation except logout (it would end
  the run's session) and the events long-poll (it may legitimately wait 30 s; its bad input is
  covered by tests/server/test_events.py), as an officer. Every answer must be no 5xx, have a
  documented status code and content type, and match its documented schema (errors included:
  ``{code, message, details}``).
* **Stateful**: sequences that follow the document's OpenAPI links (a pulled dossier -> read it
  -> its documents, act on it, attach a result -> download it; leave -> approve; a recall ->
  close it), as a department head, with the same checks at every step.

Bounded for CI (a fixed number of examples, derandomized): well under 2 minutes on 2 cores.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.server.util import Peek, login, new_key
from tests.support.clock import TEST_EPOCH
from tests.support.server import RunningServer

EXAMPLES_PER_MODE = 8
STATEFUL_SCENARIOS = 25
STATEFUL_STEPS = 6
SKIP = {("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/events")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
RUN = settings(deadline=None, database=None, derandomize=True,
               suppress_health_check=list(HealthCheck))


def _schema(server: RunningServer) -> Any:
    raw = requests.get(server.url + "/api/v1/openapi.json", timeout=30).json()
    return schemathesis.openapi.from_dict(raw)


@pytest.mark.slow
def test_every_answer_keeps_the_contract(server: RunningServer) -> None:
    peek = Peek(server)
    officer = login(server, peek.officer_dossier()[0])
    schema = _schema(server)
    headers = {"Authorization": f"Bearer {officer.access}"}
    session = requests.Session()
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @given(case=strategy)
            @settings(RUN, max_examples=EXAMPLES_PER_MODE,
                      phases=[Phase.explicit, Phase.generate])
            def run(case: Any) -> None:
                case.call_and_validate(base_url=server.url, session=session, headers=headers,
                                       checks=CHECKS)

            run()
            ran += 1
    assert ran >= 60  # both modes of every operation but the two skipped


@pytest.mark.slow
def test_linked_sequences_keep_the_contract(server: RunningServer) -> None:
    peek = Peek(server)
    head = login(server, peek.head_of("stnmt"))
    # only the linked families, so that the scenarios spend their steps following links
    schema = _schema(server).include(
        path_regex=r"^/api/v1/(sync/changes|dossiers/|oncall/leave|oncall/recalls)")
    session = requests.Session()
    headers = {"Authorization": f"Bearer {head.access}"}
    followed: list[tuple[str, int]] = []

    class Sequences(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": server.url, "session": session, "headers": headers}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)  # records it: links read earlier answers
            followed.append((f"{case.method} {case.path}", response.status_code))

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None,
                              **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Sequences.run(settings=settings(RUN, max_examples=STATEFUL_SCENARIOS,
                                    stateful_step_count=STATEFUL_STEPS,
                                    phases=[Phase.generate]))
    assert len(followed) >= STATEFUL_SCENARIOS  # every scenario ran, every step was checked


def _pointer(document: Any, pointer: str) -> Any:
    for part in pointer.lstrip("/").split("/"):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def test_every_documented_link_leads_to_a_conforming_answer(server: RunningServer) -> None:
    """Walk each OpenAPI link of the document from a real answer: evaluate its runtime
    expressions, call the target, and check both answers against the document."""
    peek = Peek(server)
    username, dossier_id = peek.officer_dossier()
    officer = login(server, username)
    head = login(server, peek.head_of(peek.user(username).department_id))
    raw = requests.get(server.url + "/api/v1/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(raw)
    def iso(delta: timedelta) -> str:  # the server's clock starts at TEST_EPOCH
        return (TEST_EPOCH + delta).astimezone(UTC).isoformat().replace("+00:00", "Z")

    pdf = b"%PDF-1.7\n" + b"x" * 100
    # How to call each operation for real: (who, keyword arguments of requests)
    calls: dict[tuple[str, str], tuple[Any, dict[str, Any]]] = {
        ("get", "/api/v1/sync/changes"): (officer, {"params": {"limit": 5}}),
        ("get", "/api/v1/dossiers/{dossier_id}"): (officer, {}),
        ("post", "/api/v1/dossiers/{dossier_id}/actions"): (officer, {"json": {
            "type": "note", "base_version": 1, "payload": {"text": "theo liên kết"}}}),
        ("post", "/api/v1/dossiers/{dossier_id}/documents"): (officer, {
            "data": pdf, "headers": {"X-File-Name": "ket-qua.pdf",
                                     "Content-Type": "application/pdf"}}),
        ("get", "/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"): (officer, {}),
        ("post", "/api/v1/oncall/leave"): (officer, {"json": {
            "starts_at": iso(timedelta(days=2)), "ends_at": iso(timedelta(days=3)),
            "reason": "Nghỉ phép"}}),
        ("post", "/api/v1/oncall/leave/{leave_id}/approve"): (head, {}),
        ("post", "/api/v1/oncall/leave/{leave_id}/reject"): (head, {}),
        ("post", "/api/v1/oncall/recalls"): (head, {"json": {
            "recipients": [officer.user["id"]], "message": "Về cơ quan",
            "report_by": iso(timedelta(hours=2))}}),
        ("get", "/api/v1/oncall/recalls/{recall_id}"): (head, {}),
        ("post", "/api/v1/oncall/recalls/{recall_id}/close"): (head, {}),
    }
    source_path_params = {"dossier_id": dossier_id}
    by_id = {op["operationId"]: (method, path) for path, ops in raw["paths"].items()
             for method, op in ops.items()}

    def call(method: str, path: str, path_params: dict[str, Any]) -> requests.Response:
        who, kwargs = calls[(method, path)]
        headers = dict(kwargs.get("headers", {}))
        if method == "post" and "dossiers" in path:
            headers["Idempotency-Key"] = new_key()
        response = who.http.request(method.upper(), who.url(path.format(**path_params)),
                                    timeout=30, **{**kwargs, "headers": headers})
        operation = schema[path][method.upper()]
        operation.Case(path_parameters=path_params).validate_response(response, checks=CHECKS)
        return response

    walked = []
    for path, operations in raw["paths"].items():
        for method, op in operations.items():
            for status, answer in op["responses"].items():
                for name, link in answer.get("links", {}).items():
                    params = {k: v for k, v in source_path_params.items() if "{" + k in path}
                    source = call(method, path, params)
                    assert source.status_code == int(status), (path, source.text)
                    target_method, target_path = by_id[link["operationId"]]
                    values = {}
                    for param, expression in link["parameters"].items():
                        if expression.startswith("$response.body#"):
                            values[param] = _pointer(source.json(), expression.split("#", 1)[1])
                        else:
                            values[param] = params[expression.rsplit(".", 1)[1]]
                    target = call(target_method, target_path, values)
                    assert target.status_code < 300, (name, target_path, target.text)
                    walked.append(name)
    assert len(walked) == sum(len(a.get("links", {})) for ops in raw["paths"].values()
                              for op in ops.values() for a in op["responses"].values()) >= 10
