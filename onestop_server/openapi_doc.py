"""The published OpenAPI document: FastAPI's, completed so that a client (or schemathesis) can
rely on it for every answer, errors included, and follow links between operations.

FastAPI documents the success answers of the route models and a 422 shaped like its own
validation error, which this API never sends. :func:`complete` fixes that, in one place so the
routers stay small:

* ``components.schemas.Error`` = ``{code, message, details}`` (every non-2xx answer), used by
  every documented error status, FastAPI's 422 included;
* the error statuses each operation can answer: 400/413 where there is a request body or an
  Idempotency-Key, 401/403 everywhere (tokens, revoked devices, roles), 404 where a path names
  something, 410 for keyed writes (``idempotency.expired``), plus :data:`EXTRA` per operation;
* schemas for the answers the routes build by hand (actions, uploads, downloads, which are
  served with the document's own type);
* OpenAPI **links** from the answers that name dossiers, documents, leave and recalls to the
  operations that take them, for stateful testing and for client authors.

The result is what ``/api/v1/openapi.json`` serves and ``docs/openapi.json`` commits.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["complete", "install"]

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "details"],
    "properties": {
        "code": {"type": "string", "description": "stable, e.g. request.invalid"},
        "message": {"type": "string"},
        "details": {"type": "object"},
    },
}
DESCRIPTIONS = {
    "400": "request.malformed / request.duplicate_key / request.invalid_unicode / "
           "idempotency.key_required / idempotency.key_invalid",
    "401": "auth.invalid_token / auth.token_expired (or, at login, auth.invalid_credentials)",
    "403": "auth.forbidden / auth.device_revoked / auth.account_disabled",
    "404": "not found (or not in the caller's scope)",
    "409": "a conflict with the current state",
    "410": "gone: restart (sync.resync_required, events.reset) or idempotency.expired",
    "413": "request.too_large / document.too_large",
    "416": "document.range_not_satisfiable",
    "422": "request.invalid / request.forbidden_character / a domain rule",
    "429": "auth.throttled (Retry-After)",
}

# Error statuses some operations answer beyond the common ones: (method, path) -> statuses.
EXTRA: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/api/v1/auth/login"): (429,),
    ("post", "/api/v1/oncall/leave/{leave_id}/approve"): (409,),  # leave.already_decided
    ("post", "/api/v1/oncall/leave/{leave_id}/reject"): (409,),
}
KEYED = {("post", "/api/v1/dossiers/{dossier_id}/actions"),
         ("post", "/api/v1/dossiers/{dossier_id}/documents")}

DOSSIER_ID = "/api/v1/dossiers/{dossier_id}"
CONTENT = "/api/v1/dossiers/{dossier_id}/documents/{doc_id}/content"
ACTIONS = "/api/v1/dossiers/{dossier_id}/actions"
UPLOAD = "/api/v1/dossiers/{dossier_id}/documents"

# (method, path, status) -> {link name: (target method, target path, parameters)}
LINKS: dict[tuple[str, str, str], dict[str, tuple[str, str, dict[str, str]]]] = {
    ("get", "/api/v1/sync/changes", "200"): {
        "ReadDossier": ("get", DOSSIER_ID, {"dossier_id": "$response.body#/upserts/0/id"}),
        "ActOnDossier": ("post", ACTIONS, {"dossier_id": "$response.body#/upserts/0/id"}),
    },
    ("get", DOSSIER_ID, "200"): {
        "DownloadDocument": ("get", CONTENT, {"dossier_id": "$response.body#/id",
                                              "doc_id": "$response.body#/documents/0/id"}),
        "ActOnDossier": ("post", ACTIONS, {"dossier_id": "$response.body#/id"}),
        "AttachResult": ("post", UPLOAD, {"dossier_id": "$response.body#/id"}),
    },
    ("post", ACTIONS, "200"): {
        "ReadDossier": ("get", DOSSIER_ID, {"dossier_id": "$response.body#/dossier/id"}),
    },
    ("post", UPLOAD, "201"): {
        "DownloadResult": ("get", CONTENT, {"dossier_id": "$request.path.dossier_id",
                                            "doc_id": "$response.body#/document/id"}),
    },
    ("post", "/api/v1/oncall/leave", "200"): {
        "ApproveLeave": ("post", "/api/v1/oncall/leave/{leave_id}/approve",
                         {"leave_id": "$response.body#/id"}),
        "RejectLeave": ("post", "/api/v1/oncall/leave/{leave_id}/reject",
                        {"leave_id": "$response.body#/id"}),
    },
    ("post", "/api/v1/oncall/recalls", "200"): {
        "ReadRecall": ("get", "/api/v1/oncall/recalls/{recall_id}",
                       {"recall_id": "$response.body#/id"}),
        "CloseRecall": ("post", "/api/v1/oncall/recalls/{recall_id}/close",
                        {"recall_id": "$response.body#/id"}),
    },
}

ACTION_ANSWER: dict[str, Any] = {
    "type": "object",
    "required": ["outcome", "version", "dossier"],
    "properties": {"outcome": {"type": "string", "enum": ["applied"]},
                   "version": {"type": "integer"}, "dossier": {"type": "object"}},
}
UPLOAD_ANSWER: dict[str, Any] = {
    "type": "object",
    "required": ["document", "version"],
    "properties": {
        "version": {"type": "integer"},
        "document": {
            "type": "object",
            "required": ["id", "name", "kind", "mime", "size", "sha256"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                           "kind": {"type": "string"}, "mime": {"type": "string"},
                           "size": {"type": "integer"}, "sha256": {"type": "string"}},
        },
    },
}


def _error_response(status: str, existing: dict[str, Any] | None) -> dict[str, Any]:
    description = (existing or {}).get("description") or DESCRIPTIONS.get(status, "error")
    if description in ("Validation Error", "Successful Response"):
        description = DESCRIPTIONS.get(status, description)
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def _operation_id(spec: dict[str, Any], method: str, path: str) -> str:
    return str(spec["paths"][path][method]["operationId"])


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """Complete FastAPI's document in place (see the module docstring) and return it."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            responses: dict[str, Any] = op.setdefault("responses", {})
            statuses = {401, 403, 422}
            if method in ("post", "put", "patch"):
                statuses |= {400, 413}
            if "{" in path:
                statuses.add(404)
            if (method, path) in KEYED:
                statuses |= {400, 409, 410}
            statuses |= set(EXTRA.get((method, path), ()))
            statuses |= {int(s) for s in responses if s.isdigit() and int(s) >= 400}
            for code in sorted(statuses):
                key = str(code)
                responses[key] = _error_response(key, responses.get(key))
    for operations in spec["paths"].values():
        for op in operations.values():
            for parameter in op.get("parameters", []):
                if parameter.get("in") == "header" and parameter.get("name") == "Idempotency-Key":
                    parameter["required"] = True  # FastAPI cannot say so: the check is ours
    binary = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
    for status in ("200", "206"):  # served with the document's own type
        spec["paths"][CONTENT]["get"]["responses"][status]["content"] = binary
    ok = spec["paths"][ACTIONS]["post"]["responses"]["200"]
    ok["content"] = {"application/json": {"schema": ACTION_ANSWER}}
    created = spec["paths"][UPLOAD]["post"]["responses"]["201"]
    created["content"] = {"application/json": {"schema": UPLOAD_ANSWER}}
    for (method, path, status), links in LINKS.items():
        response = spec["paths"][path][method]["responses"][status]
        response["links"] = {
            name: {"operationId": _operation_id(spec, t_method, t_path), "parameters": params}
            for name, (t_method, t_path, params) in links.items()
        }
    return spec


def install(app: FastAPI) -> None:
    """Serve the completed document as the app's OpenAPI (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, routes=app.routes,
                description=app.description))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
