"""Build facts (release vs developer builds) and the environment a frozen build gives children."""

from __future__ import annotations

from pathlib import Path

from wfh_client.buildinfo import build_info, make_build_info, read_build_file
from wfh_client.frozen_env import restore_child_environment


def test_channel_follows_the_build_facts_then_how_the_code_runs(tmp_path: Path) -> None:
    assert make_build_info({}, frozen=False).developer  # a source checkout
    assert not make_build_info({}, frozen=True).developer  # a bundle without facts: release
    assert make_build_info({"channel": "developer"}, frozen=True).developer  # explicit dev build
    release = make_build_info({"channel": "release", "build": "20260318.1", "commit": "abc"},
                              frozen=False)
    assert not release.developer
    assert release.version_line("wfh-client") == "wfh-client 0.1.0 (build 20260318.1, abc, release)"
    assert make_build_info({"channel": "nonsense", "build": "x"}, frozen=False).channel == "release"
    broken = tmp_path / "_build.json"
    broken.write_text("{not json")
    assert read_build_file(broken) == {"channel": "release"}  # damaged: never a developer build
    assert read_build_file(tmp_path / "absent.json") == {}
    assert build_info().developer  # these tests run from the source tree


def test_children_of_a_frozen_build_get_the_users_library_path() -> None:
    env = {"LD_LIBRARY_PATH": "/opt/wfh-client/_internal", "LD_LIBRARY_PATH_ORIG": "/usr/local/lib"}
    restore_child_environment(env, frozen=True)
    assert env == {"LD_LIBRARY_PATH": "/usr/local/lib"}
    env = {"LD_LIBRARY_PATH": "/opt/wfh-client/_internal"}  # the user had none
    restore_child_environment(env, frozen=True)
    assert env == {}
    env = {"LD_LIBRARY_PATH": "/mine", "LD_LIBRARY_PATH_ORIG": "/x"}
    restore_child_environment(env, frozen=False)  # not frozen: nothing to undo
    assert env == {"LD_LIBRARY_PATH": "/mine", "LD_LIBRARY_PATH_ORIG": "/x"}
