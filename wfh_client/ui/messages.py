"""Plain-words, translated text for errors, actions and outbox reasons: the ONE place for it.

- :func:`describe_error` - what went wrong and what to do next, for any exception the login,
  the sync engine or the store raises (by type, then by the API's stable error code).
- :func:`action_name` - a workflow action (``submit_for_approval`` ...) in the user's words.
- :func:`reason_text` - why the server or the client set an outbox entry aside
  (``left_scope``, ``wrong_status``, ``action.forbidden`` ...), falling back to the server's
  own message for codes this version does not know.

Every string goes through ``QCoreApplication.translate`` (context ``Messages``) so ``lupdate``
finds it and the Vietnamese ``.qm`` translates it.
"""

from __future__ import annotations

import errno

from PySide6.QtCore import QCoreApplication

from wfh_client.config import ConfigError, LockedSettingError
from wfh_client.domain import ActionError
from wfh_client.domain.filetypes import FileTypeError
from wfh_client.store import DocumentIntegrityError
from wfh_client.store.errors import CacheLocked, DocumentNotFound, PlaintextNotAllowed
from wfh_client.store.errors import KeyringUnavailable as StoreKeyringUnavailable
from wfh_client.sync.engine import MassDeletionRefused, SyncCancelled
from wfh_client.sync.errors import (
    ApiError,
    AuthFailed,
    DeviceRevoked,
    InsecureServerUrl,
    KeyringUnavailable,
    LoginRefused,
    NotLoggedIn,
    ServerUnreachable,
    SessionExpired,
    TlsError,
)

__all__ = ["action_name", "describe_error", "describe_login_error", "is_offline_error",
           "reason_text", "required_text"]


def is_offline_error(exc: BaseException | None) -> bool:
    """True when the server could not be reached (the app shows "offline", not an error)."""
    return isinstance(exc, ServerUnreachable)


def describe_error(exc: BaseException | None, fallback: str = "") -> str:
    """A translated sentence saying what happened and what to do next."""
    if exc is None:
        return fallback or QCoreApplication.translate("Messages", "Something went wrong.")
    if isinstance(exc, AuthFailed):
        return QCoreApplication.translate("Messages", "The user name or password is wrong. Check them (and the keyboard's "
                  "language and Caps Lock) and try again.")
    if isinstance(exc, LoginRefused):
        if exc.code == "auth.device_limit":
            return QCoreApplication.translate("Messages", "Your account is already used on as many "
                      "computers as allowed. Ask IT to remove one you no longer use, then sign in "
                      "again.")
        minutes = max(1, -(-(exc.retry_after or 60) // 60))
        return QCoreApplication.translate("Messages", "Too many sign-in attempts failed. Try again "
                  "in %1 min.").replace("%1", str(minutes))
    if isinstance(exc, DeviceRevoked):
        if exc.account_disabled:
            return QCoreApplication.translate("Messages", "Your account has been disabled. The data kept on this computer was "
                      "erased. Contact your department's IT staff.")
        return QCoreApplication.translate("Messages", "This computer's access has been revoked. The data kept on it was erased. "
                  "Contact your department's IT staff.")
    if isinstance(exc, FileTypeError):
        return _document_refused(exc.code) or exc.message
    if isinstance(exc, InsecureServerUrl):
        return QCoreApplication.translate("Messages", "The server address must start with https://: "
                  "plain http:// would send your password and the dossiers unencrypted. Ask IT "
                  "for the right address.")
    if isinstance(exc, TlsError):
        return QCoreApplication.translate("Messages", "The server's security certificate could not be verified, so nothing was "
                  "sent. Check the server address, or ask IT for the certificate (CA bundle).")
    if isinstance(exc, ServerUnreachable):
        return QCoreApplication.translate("Messages", "The server cannot be reached. Check your network connection and the server "
                  "address; your work is kept on this computer and sent later.")
    if isinstance(exc, KeyringUnavailable | StoreKeyringUnavailable):
        return QCoreApplication.translate("Messages", "The system's password store (keyring) is locked or missing. Unlock it (or "
                  "sign in to your desktop session again) and retry.")
    if isinstance(exc, SessionExpired | NotLoggedIn):
        return QCoreApplication.translate("Messages", "Your session has expired. Sign in again; nothing on this computer is lost.")
    if isinstance(exc, CacheLocked):
        return QCoreApplication.translate("Messages", "The local data cannot be opened because its key is missing from the "
                  "password store. Sign in again to rebuild it from the server.")
    if isinstance(exc, PlaintextNotAllowed):
        return QCoreApplication.translate("Messages", "The local data is not encrypted, which your organisation does not allow. "
                  "Ask IT for help.")
    if isinstance(exc, MassDeletionRefused):
        return QCoreApplication.translate("Messages", "The server's answer would remove most of your dossiers, so nothing was "
                  "removed. If you were moved to another department, ask IT to run a full "
                  "resync.")
    if isinstance(exc, SyncCancelled):
        return QCoreApplication.translate("Messages", "Synchronisation was cancelled; it continues later from where it stopped.")
    if isinstance(exc, ApiError):
        return _api_error(exc)
    if isinstance(exc, ActionError):
        return reason_text(exc.code, exc.message)
    if isinstance(exc, DocumentIntegrityError):
        return QCoreApplication.translate("Messages", "The downloaded file is damaged (its checksum does not match), so it was "
                  "thrown away. Download it again.")
    if isinstance(exc, DocumentNotFound):
        return QCoreApplication.translate("Messages", "The file is not on this computer yet: download it first.")
    if isinstance(exc, InterruptedError):
        return QCoreApplication.translate("Messages", "Stopped, as you asked.")
    if isinstance(exc, OSError):
        return _os_error(exc)
    if isinstance(exc, KeyError):
        return QCoreApplication.translate("Messages", "The dossier is no longer on this computer (it left your list).")
    if isinstance(exc, LockedSettingError):
        return QCoreApplication.translate("Messages", "Your organisation manages this setting; it cannot be changed here.")
    if isinstance(exc, ConfigError):
        return QCoreApplication.translate("Messages", "This value is not allowed.")
    if isinstance(exc, ValueError):  # a check of the input the screens make first anyway
        return QCoreApplication.translate("Messages", "This was not accepted: check what you entered and try again.")
    return fallback or QCoreApplication.translate("Messages", "Unexpected error: %1").replace("%1", type(exc).__name__)


def _os_error(exc: OSError) -> str:
    """A file or disk problem in plain words (the file name, never Python's English)."""
    name = exc.filename if isinstance(exc.filename, str) else ""
    if exc.errno == errno.ENOSPC:
        text = QCoreApplication.translate("Messages", "The disk is full: free some space and try again.")
    elif isinstance(exc, PermissionError):
        text = QCoreApplication.translate("Messages", "You may not write or read there. Choose another folder.")
    elif isinstance(exc, FileNotFoundError):
        text = QCoreApplication.translate("Messages", "The file or folder does not exist.")
    elif isinstance(exc, IsADirectoryError):
        text = QCoreApplication.translate("Messages", "That is a folder: choose a file name.")
    else:
        text = QCoreApplication.translate("Messages", "The file could not be read or written (system error %1).").replace(
            "%1", str(exc.errno or ""))
    return f"{text} ({name})" if name else text


def describe_login_error(exc: BaseException | None, support: str = "") -> str:
    """Like :func:`describe_error`, for the sign-in dialog: there, nothing is on this computer
    to keep working on (a remembered account opens without it), so an unreachable server is
    a matter for IT, not "your work is kept"."""
    if isinstance(exc, ServerUnreachable) and not isinstance(exc, TlsError):
        text = QCoreApplication.translate(
            "Messages", "The server cannot be reached, so you cannot sign in yet. Check that "
            "this computer is on the network; if it is, contact your IT staff: the server "
            "address may be wrong or the server may be down.")
        if support:
            text += " " + QCoreApplication.translate("Messages", "IT support: %1").replace(
                "%1", support)
        return text
    return describe_error(exc)


def _document_refused(code: str) -> str:
    """Why a document is refused (by the client's check or the server's), or ``""``."""
    texts = {
        "document.empty": QCoreApplication.translate("Messages", "The file is empty."),
        "document.type_not_allowed": QCoreApplication.translate("Messages", "Only PDF files, images, "
                  "Word/Excel/PowerPoint or OpenDocument files and plain text can be attached."),
        "document.type_mismatch": QCoreApplication.translate("Messages", "The file's content does not "
                  "match its type (its name says one thing, its content another)."),
        "document.wrong_status": QCoreApplication.translate("Messages", "A result can be attached only "
                  "while the dossier is being processed or its result is ready."),
    }
    return texts.get(code, "")


def _api_error(exc: ApiError) -> str:
    if refused := _document_refused(exc.code):
        return refused
    if exc.code == "sync.resync_required":
        return QCoreApplication.translate("Messages", "The server asked for a full download of your dossiers; it starts again "
                  "automatically.")
    if exc.code == "client.outdated":
        return QCoreApplication.translate(
            "Messages", "This version of the app (%1) is too old: the server accepts %2 or "
            "newer. Ask your IT support to update this computer; nothing on it is lost."
        ).replace("%1", str(exc.details.get("current", "?"))).replace(
            "%2", str(exc.details.get("minimum", "?")))
    if exc.code == "auth.forbidden":
        return QCoreApplication.translate("Messages", "Your account is not allowed to do this.")
    if exc.status == 429 or exc.status >= 500:
        return QCoreApplication.translate("Messages", "The server is busy or having trouble (error %1). The app retries by itself "
                  "in a moment.").replace("%1", str(exc.status))
    return QCoreApplication.translate("Messages", "The server refused the request (%1).").replace("%1", exc.code)


def action_name(action: str) -> str:
    names = {
        "accept": QCoreApplication.translate("Messages", "Accept at the counter"),
        "note": QCoreApplication.translate("Messages", "Note"),
        "assign": QCoreApplication.translate("Messages", "Assign"),
        "start_review": QCoreApplication.translate("Messages", "Start review"),
        "request_documents": QCoreApplication.translate("Messages", "Request documents"),
        "documents_received": QCoreApplication.translate("Messages", "Documents received"),
        "submit_for_approval": QCoreApplication.translate("Messages", "Submit for approval"),
        "approve": QCoreApplication.translate("Messages", "Approve"),
        "return_for_rework": QCoreApplication.translate("Messages", "Return for rework"),
        "refuse": QCoreApplication.translate("Messages", "Refuse"),
        "stop": QCoreApplication.translate("Messages", "Stop processing"),
        "apology": QCoreApplication.translate("Messages", "Apology and new date"),
        "return_result": QCoreApplication.translate("Messages", "Return the result"),
        "upload_result": QCoreApplication.translate("Messages", "Upload a result document"),
    }
    return names.get(action, action)


def reason_text(code: str | None, message: str | None = None) -> str:
    """Why an action is refused or an outbox entry was set aside, in plain words: the domain's
    and the server's stable codes (``wrong_status``, ``left_scope``, ``out_of_scope`` ...).
    A code this version does not know is never shown in the server's English: a translated
    sentence names the code instead (``message`` is only used when there is no code)."""
    reasons = {
        "left_scope": QCoreApplication.translate("Messages", "The dossier is no longer yours (reassigned or withdrawn)."),
        "out_of_scope": QCoreApplication.translate("Messages", "The dossier is no longer yours: it was reassigned to someone else or withdrawn."),
        "user_took_theirs": QCoreApplication.translate("Messages", "You kept the server's version instead."),
        "too_many_rebases": QCoreApplication.translate("Messages", "The dossier kept changing on the server."),
        "bad_document": QCoreApplication.translate("Messages", "The copy of this dossier cannot be read; synchronise again."),
        "wrong_status": QCoreApplication.translate("Messages", "This action is not possible in the current status of the dossier."),
        "not_assignee": QCoreApplication.translate("Messages", "The dossier is not assigned to you."),
        "other_department": QCoreApplication.translate("Messages", "The dossier belongs to another department."),
        "role_not_allowed": QCoreApplication.translate("Messages", "Your role may not perform this action."),
        "apology_already_made": QCoreApplication.translate("Messages", "A new appointment date may be set only once."),
        "apology_too_late": QCoreApplication.translate("Messages", "The apology must be made at least one working day before the due date."),
        "no_due_date": QCoreApplication.translate("Messages", "The dossier has no due date to postpone."),
        "new_date_not_later": QCoreApplication.translate("Messages", "The new appointment must be later than the current due date."),
        "unknown_action": QCoreApplication.translate("Messages", "Unknown action."),
        "bad_assignee": QCoreApplication.translate("Messages", "The officer chosen is not an active officer of this department."),
        "bad_value": QCoreApplication.translate("Messages", "A value is not allowed."),
        "bad_datetime": QCoreApplication.translate("Messages", "The date is not valid."),
        "too_long": QCoreApplication.translate("Messages", "The text is too long."),
        "too_many_items": QCoreApplication.translate("Messages", "Too many items: at most 50 documents per request."),
        "empty_item": QCoreApplication.translate("Messages", "A missing-document line is empty."),
        "not_signed_in": QCoreApplication.translate("Messages", "Sign in and synchronise once before acting on dossiers."),
        "no_dossier": QCoreApplication.translate("Messages", "Select a dossier first."),
        "action.forbidden": QCoreApplication.translate("Messages", "The server does not allow you to act on this dossier."),
        "dossier.not_found": QCoreApplication.translate("Messages", "The dossier no longer exists on the server."),
        "action.invalid": QCoreApplication.translate("Messages", "The server found the action invalid."),
        "document.too_large": QCoreApplication.translate("Messages", "The file is larger than the server accepts (20 MB)."),
        "idempotency.expired": QCoreApplication.translate("Messages", "The server's answer to this change expired before it reached this computer; check the dossier to see whether it was applied."),
        "forbidden_character": QCoreApplication.translate("Messages", "The text contains a character that is not allowed (a control or text-direction character)."),
    }
    if code in reasons:
        return reasons[code]
    if code and (refused := _document_refused(code)):
        return refused
    if code and code.endswith("_required"):
        return required_text(code.removesuffix("_required"))
    if code:
        return QCoreApplication.translate("Messages", "The change was refused (%1).").replace("%1", code)
    return message or ""


def required_text(field: str) -> str:
    """What to fill in when the domain says ``<field>_required``."""
    names = {
        "text": QCoreApplication.translate("Messages", "Write the note."),
        "assignee_id": QCoreApplication.translate("Messages", "Choose an officer."),
        "missing": QCoreApplication.translate("Messages", "Tick or write at least one missing document."),
        "proposed_result": QCoreApplication.translate("Messages", "Write the proposed result."),
        "decision": QCoreApplication.translate("Messages", "Choose the proposed decision."),
        "comment": QCoreApplication.translate("Messages", "Write a comment for the officer."),
        "reason": QCoreApplication.translate("Messages", "Write the reason."),
        "new_due_at": QCoreApplication.translate("Messages", "Choose the new appointment date."),
        "channel": QCoreApplication.translate("Messages", "Choose how the result was returned."),
        "tracking_number": QCoreApplication.translate("Messages", "Enter the postal tracking number."),
    }
    return names.get(field) or QCoreApplication.translate(
        "Messages", "A required field is missing: %1").replace("%1", field)
