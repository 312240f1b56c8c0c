"""The landing page in a real Chromium, in English and in Spanish, against `santa-videos serve-intake` on loopback
with the paid voice (the fake ElevenLabs): the form and its problems, the language switch, the status page, and
hearing the child's name before ordering."""

import pytest

from santa_videos.daemon_harness import BIN, PROJECT_ROOT, clean_env
from santa_videos.orders import OrderTable
from santa_videos.orders.table import OrderNotFound
from santa_videos.processes import ServerProcess, free_port
from santa_videos_tests.browser import chromium, screenshot
from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield, real_providers_env

pytestmark = pytest.mark.slow

SPANISH_BROWSER = {"Accept-Language": "es-ES,es;q=0.9"}


@pytest.fixture(scope="module")
def intake(tmp_path_factory):
    """The intake with its own data folder, speaking with the fake ElevenLabs: (its URL, the fake, the orders)."""
    root = tmp_path_factory.mktemp("intake")
    port = free_port()
    with FakeElevenLabs() as voice, FakeHiggsfield() as clips:
        env = clean_env(("SANTA_X264_PRESET",), SANTA_DATA_DIR=str(root / "data"), **real_providers_env(voice, clips))
        command = [str(BIN / "santa-videos"), "serve-intake", "--port", str(port)]
        with ServerProcess(command, env, root / "intake.log", port, cwd=PROJECT_ROOT) as server:
            table = OrderTable(f"sqlite:///{root / 'data' / 'orders.db'}")
            yield server.url, voice, table
            table.dispose()


def test_a_spanish_browser_gets_the_form_in_spanish_and_can_switch_to_english(intake):
    url, _voice, table = intake
    with chromium(extra_http_headers=SPANISH_BROWSER) as browser:
        page = browser.new_page()
        page.goto(url + "/")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("label[for=child_name]").inner_text() == "Nombre del niño o la niña"
        assert page.locator("label[for=phonetic_name]").inner_text().startswith("Cómo se dice el nombre")
        assert "Ayudó en casa" in page.locator("#catalog").inner_text()
        assert page.locator("#strategy option").all_inner_texts()[0] == "Papá Noel en el Polo Norte"
        assert page.locator("button[type=submit]").inner_text() == "Pedir el vídeo"
        order_id = page.locator("input[name=order_id]").get_attribute("value")

        page.fill("#child_name", "R2-D2")
        page.fill("#age", "7")
        page.click("button[type=submit]")
        page.wait_for_selector("#errors")
        assert page.locator("#errors").inner_text().startswith("Corrige esto y vuelve a enviar el pedido:")
        assert ("nombre: solo puede tener letras, espacios, apóstrofos, guiones y puntos (tiene '2')"
                in page.locator("#errors li").all_inner_texts())
        assert page.locator("input[name=order_id]").get_attribute("value") == order_id
        with pytest.raises(OrderNotFound):
            table.get(order_id)

        page.click("#language-switch a[hreflang=en]")
        page.wait_for_url("**/?lang=en")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("label[for=child_name]").inner_text() == "Child's name"
        assert "Helped at home" in page.locator("#catalog").inner_text()
        page.goto(url + "/")
        assert page.locator("html").get_attribute("lang") == "en", "the choice outlasts the page"


def test_the_status_page_follows_the_page_language(intake):
    url, _voice, table = intake
    with chromium(extra_http_headers=SPANISH_BROWSER) as browser:
        page = browser.new_page()
        page.goto(url + "/")
        page.fill("#child_name", "Lucía")
        page.fill("#age", "5")
        page.click("button[type=submit]")
        page.wait_for_url("**/orders/ord_*")
        order_id = page.locator("#order-id").inner_text()
        assert table.get(order_id).language == "es", "a fresh form offers the video in the page's language"
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("p.status").inner_text() == "Estado: recibido"
        assert page.locator("#explanation").inner_text() == "Tenemos tu pedido. Papá Noel empezará con él enseguida."
        screenshot(page, "landing-status-es")

        page.click("#language-switch a[hreflang=en]")
        page.wait_for_url(f"**/orders/{order_id}?lang=en")
        assert page.locator("p.status").inner_text() == "Status: received"
        assert page.locator("#explanation").inner_text().startswith("We have your order.")
        screenshot(page, "landing-status-en")


@pytest.mark.parametrize("language, name, respelled, respell_hint", [
    ("en", "Siobhan", "Shivawn", "Not quite right?"),
    ("es", "Xiomara", "Siomara", "¿No suena bien?"),
])
def test_the_parent_hears_the_name_as_typed_how_it_sounds_and_orders_with_the_same_id(
        intake, language, name, respelled, respell_hint):
    url, voice, table = intake
    headers = SPANISH_BROWSER if language == "es" else {"Accept-Language": "en-US,en;q=0.9"}
    spoken_before = len(voice.requests("tts"))
    with chromium(extra_http_headers=headers) as browser:
        page = browser.new_page()
        page.goto(url + "/")
        assert page.locator("html").get_attribute("lang") == language
        page.fill("#child_name", name)
        page.fill("#age", "6")
        page.fill("#phonetic_name", respelled)
        with page.expect_response("**/name-preview*") as answered:
            page.click("#preview-button")
        preview = answered.value
        assert preview.status == 200 and preview.headers["content-type"] == "audio/wav"
        sent = preview.request.post_data_json
        form_order_id = page.locator("input[name=order_id]").get_attribute("value")
        assert sent == {"child_name": name, "phonetic_name": respelled, "language": language, "order_id": form_order_id}
        assert preview.headers["santa-order-id"] == form_order_id

        page.wait_for_function("document.getElementById('preview-audio').duration > 0.5", timeout=30_000)
        duration = page.evaluate("document.getElementById('preview-audio').duration")
        assert 0.5 < duration < 60
        assert page.locator("#preview-audio").is_visible()
        assert respell_hint in page.locator("#preview-note").inner_text()
        spoken = [request.json()["text"] for request in voice.requests("tts")[spoken_before:]]
        assert any(respelled in text for text in spoken), spoken
        assert not any(name in text for text in spoken), "the phonetic spelling is said, not the written name"
        screenshot(page, f"landing-name-preview-{language}")

        page.fill("#phonetic_name", "")
        page.fill("#child_name", "R2-D2")
        page.click("#preview-button")
        page.wait_for_selector("#preview-errors li")
        expected = {"en": "child_name: may only contain letters, spaces, apostrophes, hyphens and dots (found '2')",
                    "es": "nombre: solo puede tener letras, espacios, apóstrofos, guiones y puntos (tiene '2')"}
        assert page.locator("#preview-errors li").all_inner_texts() == [expected[language]]

        page.fill("#child_name", name)
        page.fill("#phonetic_name", respelled)
        page.click("button[type=submit]")
        page.wait_for_url(f"**/orders/{form_order_id}")
    order = table.get(form_order_id)
    assert (order.child_name, order.phonetic_name, order.language) == (name, respelled, language)
