"""Builds the dossier JSON document of the API contract and stores it in ``dossiers.payload``.

Contract (do not change the signatures without updating the callers):
- ``dossier_document(conn, dossier_id) -> dict``: the full document (docs/architecture.md).
- ``rebuild_payload(conn, dossier_id) -> str``: rebuild, store in ``dossiers.payload``, return it.
"""
