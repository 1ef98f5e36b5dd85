"""browser.ws_endpoint as a list of Playwright servers, and the @load selection."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.browser import BrowserLaunchError, ws_endpoints
from harness.lifecycle import run_named_feature_files_whole


def test_one_or_several_servers() -> None:
    assert ws_endpoints(None) == []
    assert ws_endpoints("") == []
    assert ws_endpoints("ws://127.0.0.1:3000/pw") == ["ws://127.0.0.1:3000/pw"]
    assert ws_endpoints("ws://a:3000/x, wss://b:3001/y") == ["ws://a:3000/x", "wss://b:3001/y"]


@pytest.mark.parametrize("bad", ["http://a:3000/x", "ws://a:1/x,,ws://b:2/y", "ws://", "a:3000"])
def test_anything_else_is_refused_naming_the_setting(bad: str) -> None:
    with pytest.raises(BrowserLaunchError, match="setting browser.ws_endpoint: .* is not a"):
        ws_endpoints(bad)


def config(paths: list[str], cli_tags: list[str] | None) -> SimpleNamespace:
    default = ["not @load"]
    return SimpleNamespace(
        default_tags=default,
        tags=cli_tags if cli_tags is not None else default,
        paths=paths,
        tag_expression="unchanged",
    )


def test_a_named_feature_file_runs_whatever_the_default_tags_say() -> None:
    named = config(["features/load.feature"], None)
    run_named_feature_files_whole(named)
    assert named.tag_expression.check(["load"])
    with_line = config(["features/load.feature:30"], None)
    run_named_feature_files_whole(with_line)
    assert with_line.tag_expression.check(["load"])


def test_the_folder_or_tags_given_keep_the_selection() -> None:
    for paths, tags in [(["features"], None), (["features/load.feature"], ["@load"]), ([], None)]:
        kept = config(paths, tags)
        run_named_feature_files_whole(kept)
        assert kept.tag_expression == "unchanged"
