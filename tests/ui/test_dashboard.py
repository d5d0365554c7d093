"""The dashboard in a real browser, the network blocked except the mock: every page loads,
a turn changes the timeline without a reload, a finished render plays, a fault armed from
the Control page makes the next request fail in the journal view. Screenshots are saved
(NEMO_MOCK_SCREENSHOTS) for people to look at."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import httpx
import pytest

from nemo_mock.mock_server.media.samples import make_photo, make_song
from tests.ui.pixels import ink

pytestmark = pytest.mark.live
ATTRIBUTION = {"X-Skill-Source": "nemo-video", "X-Skill-Version": "1.9", "X-Skill-Platform": "t"}
PROMPT = "turn my photos into a 4-second slideshow with my song"


class User:
    """A client of the mock, driven with httpx beside the browser."""

    def __init__(self, url: str, media: Path) -> None:
        self.http = httpx.Client(base_url=url, timeout=60)
        answer = self.http.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        )
        token = answer.json()["data"]["token"]
        self.headers = {**ATTRIBUTION, "Authorization": f"Bearer {token}"}
        body = {"task_name": "dashboard", "language": "en"}
        created = self.http.post(
            "/api/tasks/me/with-session/nemo_agent", headers=self.headers, json=body
        )
        self.sid = created.json()["data"]["session_id"]
        files = [("files", (p.name, p.read_bytes())) for p in sorted(media.iterdir())]
        path = f"/api/upload-video/nemo_agent/me/{self.sid}"
        assert self.http.post(path, headers=self.headers, files=files).status_code == 200

    def chat(self, text: str) -> None:
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": self.sid,
                "new_message": {"parts": [{"text": text}]}}  # fmt: skip
        with self.http.stream("POST", "/run_sse", headers=self.headers, json=body) as stream:
            for _ in stream.iter_lines():
                pass

    def render(self) -> tuple[str, list[int]]:
        state = self.http.get(f"/api/state/nemo_agent/me/{self.sid}/latest", headers=self.headers)
        draft = state.json()["data"]["state"]["draft"]
        body = {"id": "render_ui_1", "sessionId": self.sid, "draft": draft,
                "output": {"format": "mp4", "quality": "low"}}  # fmt: skip
        self.http.post("/api/render/proxy/lambda", headers=self.headers, json=body)
        return "render_ui_1", [draft["m"]["width"], draft["m"]["height"]]


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ui-media")
    make_photo(folder / "beach.jpg", width=720, height=1280, color="#2471a3", label="beach")
    make_photo(folder / "dunes.jpg", width=720, height=1280, color="#b9770e", label="dunes")
    make_song(folder / "song.mp3", seconds=4.0)
    return folder


def test_every_page_loads_and_shows_the_state(served, offline, media, screenshots):
    user = User(served.url, media)
    user.chat(PROMPT)
    for name, path, expect in [
        ("overview", "/_mock/ui", "credit history"),  # the ledger's grant and the paid turn
        ("journal", "/_mock/ui/journal", "createAnonymousToken"),
        ("renders", "/_mock/ui/renders", "No render yet"),
        ("control", "/_mock/ui/control", "Arm a fault"),
        ("session", f"/_mock/ui/sessions/{user.sid}", "Chat"),
    ]:
        offline.goto(served.url + path)
        assert expect in offline.content(), name
        shot = screenshots / f"dashboard-{name}.png"
        offline.screenshot(path=str(shot), full_page=True)
        assert ink(shot) > 0.01, f"{name}: the screenshot is nearly blank"
    # the session page draws the timeline: a video track with a box per photo, music, a title
    assert offline.locator(".track.video .seg").count() == 2
    assert offline.locator(".track.audio .seg").count() >= 1
    assert offline.locator(".track.video .seg img").count() == 2  # thumbnails of the photos
    wave = offline.locator(".track.audio img.wave").first
    wave.wait_for()
    assert wave.evaluate("img => img.complete && img.naturalWidth > 0")  # the real waveform
    offline.goto(served.url + "/_mock/ui")  # the overview: the credit history of the user
    offline.click("tr.history summary")
    ledger = offline.locator("table.ledger").first.inner_text()
    assert "grant" in ledger and "+100" in ledger and "conversation" in ledger
    assert PROMPT in ledger  # the paid turn is named by what the user asked


def test_a_turn_changes_the_timeline_without_a_reload(served, offline, media, screenshots):
    user = User(served.url, media)
    offline.goto(f"{served.url}/_mock/ui/sessions/{user.sid}")
    assert offline.locator(".seg").count() == 0
    offline.evaluate("window.stillTheSamePage = true")
    chat = threading.Thread(target=user.chat, args=(PROMPT,))
    chat.start()
    offline.wait_for_selector(".track.video .seg", timeout=30_000)
    chat.join()
    offline.wait_for_selector(".turn .ev.text", timeout=10_000)
    assert offline.evaluate("window.stillTheSamePage") is True
    offline.screenshot(path=str(screenshots / "dashboard-session-live.png"), full_page=True)


def test_a_finished_render_plays_in_the_page(served, offline, media, screenshots):
    user = User(served.url, media)
    user.chat(PROMPT)
    render_id, canvas = user.render()
    offline.goto(f"{served.url}/_mock/ui/renders")
    video = offline.locator(f'video[data-render="{render_id}"]')
    video.wait_for(timeout=120_000)
    offline.wait_for_function("v => v.readyState >= 1", arg=video.element_handle(), timeout=30_000)
    size = video.evaluate("v => [v.videoWidth, v.videoHeight]")
    assert size == canvas  # the draft's canvas, as rendered
    video.evaluate("v => { v.muted = true; return v.play(); }")
    offline.wait_for_function(
        "v => v.currentTime > 0.5", arg=video.element_handle(), timeout=30_000
    )
    offline.screenshot(path=str(screenshots / "dashboard-render-playing.png"), full_page=True)


def test_a_fault_armed_from_the_ui_fails_the_next_request(served, offline, screenshots):
    offline.goto(f"{served.url}/_mock/ui/control")
    offline.fill("input[name=spec]", "operation=getCreditBalance error=429")
    # the page reloads itself 0.6 s after the answer (ui.js): wait for that reload, or it
    # aborts the navigation below
    with offline.expect_navigation(timeout=10_000):
        offline.click("form[data-api='/_mock/faults'] button")
        offline.wait_for_selector("#result.ok", timeout=10_000)
    answer = httpx.post(f"{served.url}/api/auth/anonymous-token", headers={"X-Client-Id": "ui-9"})
    token = answer.json()["data"]["token"]
    balance = httpx.get(
        f"{served.url}/api/credits/balance/simple",
        headers={**ATTRIBUTION, "Authorization": f"Bearer {token}"},
    )
    assert balance.status_code == 429
    seq = _last_seq(served.url)  # read first: the entry is journaled just after the answer
    offline.goto(f"{served.url}/_mock/ui/journal?operation=getCreditBalance")
    row = offline.locator(f'tr[data-seq="{seq}"]')
    assert "429" in row.locator("td.status").inner_text()
    assert "error" in row.locator(".tag").first.inner_text()
    offline.screenshot(path=str(screenshots / "dashboard-fault.png"), full_page=True)


def _last_seq(url: str) -> int:
    entries = httpx.get(f"{url}/_mock/journal").json()["entries"]
    return max(e["seq"] for e in entries if e["operation"] == "getCreditBalance")


def test_the_journal_explains_a_broken_rule(served, offline, screenshots):
    rude = httpx.post(f"{served.url}/api/auth/anonymous-token", headers={"X-Client-Id": "rude"})
    assert rude.status_code == 200  # no attribution headers: breaks attribution-headers
    offline.goto(f"{served.url}/_mock/ui/journal")
    row = offline.locator('tr[data-seq="1"]')
    assert "attribution-headers" in row.inner_text()
    row.locator("a").first.click()
    offline.wait_for_selector(".violations")
    text = offline.locator(".violations").inner_text()
    assert "attribution-headers" in text and "X-Skill" in text
    offline.screenshot(path=str(screenshots / "dashboard-entry.png"), full_page=True)


def test_the_journal_filters_by_rule_broken_and_by_surface(served, offline):
    polite = {**ATTRIBUTION, "X-Client-Id": "polite"}
    assert httpx.post(f"{served.url}/api/auth/anonymous-token", headers=polite).is_success
    rude = httpx.post(f"{served.url}/api/auth/anonymous-token", headers={"X-Client-Id": "rude"})
    assert rude.is_success  # no attribution headers: breaks attribution-headers
    offline.goto(f"{served.url}/_mock/ui/journal")
    assert offline.locator("table.journal tr[data-seq]").count() == 2
    offline.select_option("select[name=rule]", "attribution-headers")
    offline.click("form.filters button")
    offline.wait_for_url("**rule=attribution-headers**")
    rows = offline.locator("table.journal tr[data-seq]")
    assert rows.count() == 1 and rows.first.get_attribute("data-seq") == "2"
    offline.select_option("select[name=rule]", "")
    offline.select_option("select[name=surface]", "gateway")
    offline.click("form.filters button")
    offline.wait_for_url("**surface=gateway**")
    assert offline.locator("table.journal tr[data-seq]").count() == 0  # both were skill calls
    offline.select_option("select[name=surface]", "skill")
    offline.click("form.filters button")
    offline.wait_for_url("**surface=skill**")
    assert offline.locator("table.journal tr[data-seq]").count() == 2
