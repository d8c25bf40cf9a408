"""The client's local cache: encrypted SQLite (SQLCipher), outbox, FTS search, documents.

No Qt and no HTTP here. Open a :class:`Cache` per account; run every write through
``cache.writer`` (one thread, one transaction per call) with the functions of
:mod:`~wfh_client.store.dossiers`, :mod:`~wfh_client.store.outbox`,
:mod:`~wfh_client.store.state` and :mod:`~wfh_client.store.document_rows`; read with
``cache.reader()`` and :mod:`~wfh_client.store.search`.
"""

from wfh_client.store.cache import (
    AccountPaths,
    Cache,
    account_paths,
    remove_all_open_copies,
    wipe_account,
)
from wfh_client.store.documents import DocumentStore
from wfh_client.store.errors import (
    CacheLocked,
    DocumentIntegrityError,
    DocumentNotFound,
    KeyringUnavailable,
    PlaintextNotAllowed,
    StoreError,
)
from wfh_client.store.keys import account_id
from wfh_client.store.writer import Writer

__all__ = [
    "AccountPaths",
    "Cache",
    "CacheLocked",
    "DocumentIntegrityError",
    "DocumentNotFound",
    "DocumentStore",
    "KeyringUnavailable",
    "PlaintextNotAllowed",
    "StoreError",
    "Writer",
    "account_id",
    "account_paths",
    "remove_all_open_copies",
    "wipe_account",
]
