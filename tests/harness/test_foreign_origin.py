"""The attacker's site the security steps serve (harness/foreign_origin.py): another origin
than any app's, its pages auto-submitting a forged form, its values escaped."""

from __future__ import annotations

import httpx
import pytest

from harness.foreign_origin import ForeignSite, ForgedForm


def test_a_published_page_submits_the_forged_form_to_the_app() -> None:
    forged = ForgedForm("http://127.0.0.1:9/admin/x/suspend", {"reason": 'a "quoted" <b>'})
    site = ForeignSite().start()
    try:
        url = site.publish("/prize.html", forged.page())
        assert url.startswith("http://127.0.0.1:") and url.endswith("/prize.html")
        page = httpx.get(url, trust_env=False)
        missing = httpx.get(f"{site.origin}/nothing", trust_env=False)
    finally:
        site.stop()
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'action="http://127.0.0.1:9/admin/x/suspend"' in page.text
    assert 'value="a &quot;quoted&quot; &lt;b&gt;"' in page.text
    assert 'document.getElementById("forged").submit()' in page.text
    assert "csrf_token" not in page.text
    assert missing.status_code == 404


def test_a_stopped_site_answers_no_more() -> None:
    site = ForeignSite().start()
    url = site.publish("/a.html", "<p>a</p>")
    site.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, trust_env=False, timeout=2)


def test_a_path_must_start_with_a_slash() -> None:
    site = ForeignSite().start()
    try:
        with pytest.raises(ValueError, match="starts with '/'"):
            site.publish("prize.html", "<p>x</p>")
    finally:
        site.stop()
