"""IT commands of the command line: the support bundle and the policy sources of ``doctor``.

Kept apart from :mod:`wfh_client.cli` (the user's commands) so each can change on its own:

- ``wfh-client support-bundle [-o FILE.zip] [--since 7d]`` (:mod:`wfh_client.support_bundle`);
- :func:`policy_sources` / :func:`print_policy_sources`: where the policy in force was read
  (registry key, policy file and whether it is the machine's or a developer override).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wfh_client.config import Config
from wfh_client.support_bundle import (
    BundleInputs,
    build_bundle,
    default_bundle_name,
    parse_since,
    policy_report,
    write_bundle,
)
from wfh_client.sync.errors import KeyringUnavailable

if TYPE_CHECKING:
    from wfh_client.cli import Ctx


def policy_sources(config: Config) -> dict[str, Any]:
    report = policy_report(config)
    sources: dict[str, Any] = report["sources"]
    sources["registry_keys"] = [s["setting"] for s in report["settings"]
                                if s["source"] == "registry"]
    sources["policy_file_keys"] = [s["setting"] for s in report["settings"]
                                   if s["source"] == "policy"]
    return sources


def print_policy_sources(sources: dict[str, Any], out: Callable[[str], None]) -> None:
    kind = ("machine" if sources["policy_file_kind"] == "machine"
            else "DEVELOPER OVERRIDE (not honoured by release builds)")
    out("\nPolicy sources (highest first):")
    out(f"  registry     {sources['registry']}: "
        f"{', '.join(sources['registry_keys']) or 'nothing set'}")
    out(f"  policy file  {sources['policy_file']} [{kind}, "
        f"{'present' if sources['policy_file_present'] else 'absent'}]: "
        f"{', '.join(sources['policy_file_keys']) or 'nothing set'}")
    out(f"  user         {sources['user_settings']}")


def _since(text: str) -> timedelta:
    try:
        return parse_since(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def account_secrets(ctx: Ctx, account_id: str) -> list[str]:
    """The account's refresh token and cache key: removed from the bundle as literals."""
    found: list[str] = []
    for kind in ("refresh-token", "cache-key"):
        with contextlib.suppress(KeyringUnavailable):
            value = ctx.tokens.get(kind, account_id)
            if value:
                found.append(value)
    return found


def cmd_support_bundle(ctx: Ctx) -> int:
    from wfh_client.cli import _out, doctor_report
    from wfh_client.sync.account import current_account

    current = current_account(ctx.config)
    account = current.account if current else None
    inputs = BundleInputs(
        config=ctx.config, doctor=lambda: doctor_report(ctx)[1],
        keyring_backend=ctx.tokens.backend_name, account=account,
        secrets=account_secrets(ctx, account.id) if account else [])
    data = build_bundle(inputs, since=ctx.args.since)
    target = write_bundle(data, Path(ctx.args.output or default_bundle_name()))
    _out(f"Support bundle written: {target} ({len(data)} bytes). Send it to your IT support. "
         f"/ Đã tạo gói hỗ trợ; hãy gửi cho bộ phận CNTT.")
    return 0


def add_support_commands(sub: Any) -> None:
    p = sub.add_parser("support-bundle", help="write a ZIP for IT support (logs, doctor, "
                       "settings and policy; tokens and personal data removed)")
    p.add_argument("-o", "--output", metavar="FILE.zip",
                   help="where to write it (default: wfh-support-<date>.zip here)")
    p.add_argument("--since", type=_since, default=timedelta(days=7), metavar="AGE",
                   help="log files changed within this age: 7d, 12h, 30m (default 7d)")
    p.set_defaults(func=cmd_support_bundle)
