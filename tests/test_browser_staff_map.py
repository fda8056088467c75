"""Signed-in staff see their agency's drafts on the map; the public does not.

The map reads the same OGC API as everyone (``fetch`` sends the session
cookie on its own origin), so what ``ogc.visibility`` grants a session shows
on the map with no code of the map's own: this checks it in Chromium.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.map_browser_support import (
    EXPECTED_COUNTS,
    MapTab,
    legend_counts,
    skip_without_chromium,
    wait_for_counts,
)
from tests.write_api_support import Api, committed_facility

if TYPE_CHECKING:
    from playwright.sync_api import Browser

skip_without_chromium()


def _facilities_on_the_map(browser: Browser, server_url: str, session: str | None) -> dict:
    tab = MapTab(browser, 1280, 800)
    try:
        if session:
            tab.context.add_cookies([{"name": "sessionid", "value": session, "url": server_url}])
        tab.open_map(f"{server_url}/")
        expected = EXPECTED_COUNTS["facilities"] + (1 if session else 0)
        wait_for_counts(tab.page, {"facilities": expected})
        markers = tab.page.locator(".taksi-marker.taksi-facilities").count()
        assert tab.errors == []
        return {"legend": legend_counts(tab.page)["facilities"], "markers": markers}
    finally:
        tab.close()


def test_an_editor_signed_in_sees_their_draft_on_the_map_and_the_public_does_not(
        browser: Browser, server_url: str, write_api: Api, committed) -> None:
    committed_facility(committed, "Puskesmas Draf Peta", "draft")
    editor = write_api.personas["editor-a"].session
    assert _facilities_on_the_map(browser, server_url, editor) == {
        "legend": "68", "markers": 68}
    assert _facilities_on_the_map(browser, server_url, None) == {
        "legend": "67", "markers": 67}
