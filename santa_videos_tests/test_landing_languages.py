"""The customer's pages in English and Spanish: which language a request gets, the pages in it, and a Spanish form
of every message an order can get. The messages are found in the code, so one added without its Spanish fails here.
"""

import ast
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from santa_videos.intake_http import app as intake_app
from santa_videos.intake_http import create_app, messages_es
from santa_videos.intake_http import orders as intake_orders
from santa_videos.intake_http import photos, previews
from santa_videos.intake_http.language import COOKIE, preferred_language
from santa_videos.intake_http.messages import PLACEHOLDER, has_translation, translate
from santa_videos.intake_http.photos import PhotoInvalid, reencode_photo
from santa_videos.intake_http.wording import PREVIEW_WORDING, WORDING
from santa_videos.orders import estimates, moderation, queueing
from santa_videos.orders import model as order_model
from santa_videos.orders.ids import is_order_id
from santa_videos.orders.model import Order, OrderInvalid, parse_order
from santa_videos.previews import greeting as preview_greeting
from santa_videos.previews import request as preview_request
from santa_videos.script import checks
from santa_videos.settings import load_settings
from santa_videos_tests.test_landing_intake import photo_bytes

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SPANISH_BROWSER = {"accept-language": "es-ES,es;q=0.9"}

# Where the code writes a customer's messages: the calls that carry them, the functions that return them and the
# names they are kept under.
MESSAGE_MODULES = [order_model, checks, photos, estimates, queueing, intake_app, intake_orders, previews,
                   preview_request, preview_greeting]
MESSAGE_CALLS = {"ValueError", "PhotoInvalid", "OrderInvalid", "_errors", "__init__"}
MESSAGE_FUNCTIONS = {"describe", "unreachable_deadline"}
MESSAGE_NAMES = {"_PLAIN_MESSAGES", "FAILED_REASON", "NO_VOICE", "problems", "reason", "errors"}
FIELD_PREFIX = re.compile(r"^([a-z_]+|\{\}): ")


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value
    return None


def _texts(node: ast.AST) -> set[str]:
    """The message texts an expression writes, each `{...}` part as `{}` and without a leading `field: `."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {FIELD_PREFIX.sub("", node.value)}
    if isinstance(node, ast.JoinedStr):
        template = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        return {FIELD_PREFIX.sub("", template)}
    children = {ast.Dict: lambda: node.values, ast.List: lambda: node.elts, ast.ListComp: lambda: [node.elt]}
    return set().union(*(_texts(child) for child in children.get(type(node), list)()))


def written_messages(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    found = set()
    for function in tree.body:  # module-level functions only: a method of the same name says something else
        if isinstance(function, ast.FunctionDef) and function.name in MESSAGE_FUNCTIONS:
            found |= set().union(*(_texts(r.value) for r in ast.walk(function) if isinstance(r, ast.Return) and r.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in MESSAGE_CALLS:
            found |= set().union(*(_texts(arg) for arg in node.args))
        elif isinstance(node, ast.Assign) and any(_name(target) in MESSAGE_NAMES for target in node.targets):
            found |= _texts(node.value)
    return found


def test_every_message_the_code_writes_has_a_spanish_form_and_the_catalog_nothing_else():
    written = set().union(*(written_messages(module) for module in MESSAGE_MODULES))
    assert len(written) > 35, "the scan finds the messages"
    catalog = {PLACEHOLDER.sub("{}", english) for english in messages_es.MESSAGES}
    assert sorted(written - catalog) == [], "messages without a Spanish form"
    assert sorted(catalog - written) == [], "Spanish forms of messages the code no longer writes"
    assert set(messages_es.WHAT) == set(moderation.WHAT.values())
    assert set(Order.model_fields) | set(queueing.COMPARED_FIELDS) | {"photo", "order"} <= set(messages_es.FIELDS)


@pytest.mark.parametrize("fields, spanish", [
    ({"child_name": "R2-D2", "age": 30, "language": "fr", "colour": "red"}, [
        "nombre: solo puede tener letras, espacios, apóstrofos, guiones y puntos (tiene '2')",
        "edad: debe estar entre 0 y 17 (se indicó 30)",
        "idioma: debe ser uno de estos: en, es (se indicó 'fr')",
        "colour: no es un campo de un pedido",
    ]),
    ({"child_name": "Emma", "age": 6, "language": "en",
      "mentions": ["fed the birds", "said 'sh1t' at school", "eres un imbécil"]}, [
        "menciones: la mención 2 contiene una palabrota; la mención 3 contiene un insulto: Papá Noel no lo dirá",
    ]),
    ({"child_name": "Emma\u200b", "age": "seis", "language": "en", "mentions": ["x" * 151],
      "strategy": "opera", "deadline": "2020-01-01"}, [
        "nombre: contiene un carácter de control o invisible (U+200B), que no está permitido",
        "edad: debe ser un número entero",
        "menciones: la mención 1 debe tener como máximo 150 caracteres (tiene 151)",
        "estilo: debe ser uno de estos: lipsync, template, still (se indicó 'opera')",
        "fecha límite: ya ha pasado",
    ]),
    ({"age": 6, "language": "es", "mentions": ["helped_at_hme"]}, [
        "nombre: es obligatorio",
        "menciones: la mención 1 'helped_at_hme' no es una clave del catálogo "
        "(el catálogo: GET /catalog o `santa-videos catalog`)",
    ]),
])
def test_an_orders_problems_read_in_spanish_and_stay_english_for_english(fields, spanish):
    with pytest.raises(OrderInvalid) as refused:
        parse_order(fields)
    assert sorted(translate(error, "es") for error in refused.value.errors) == sorted(spanish)
    assert [translate(error, "en") for error in refused.value.errors] == refused.value.errors


def test_the_intakes_own_messages_read_in_spanish():
    conflict = queueing.describe("ord_01m8q5v3c8k9t2x7w4n6p0r1sz", ["age", "mentions", "photo"])
    assert translate(conflict, "es") == (
        "número de pedido: el pedido ord_01m8q5v3c8k9t2x7w4n6p0r1sz ya se envió con otro valor en edad, menciones y "
        "foto; no ha cambiado nada (para otro vídeo, envía un pedido nuevo sin order_id)")
    with pytest.raises(PhotoInvalid) as damaged:
        reencode_photo(photo_bytes()[:400], 1_000_000, 1_000_000)
    assert translate(str(damaged.value), "es") == "foto: no se pudo leer; el archivo parece dañado"
    assert translate("too many orders from this address; try again in 6 s", "es") == (
        "demasiados pedidos desde esta dirección; vuelve a intentarlo dentro de 6 s")
    assert not has_translation("mentions: mention 2 contains a compliment, which Santa will not say", "es")


@pytest.mark.parametrize("header, language", [
    ("", "en"),
    ("es-ES,es;q=0.9", "es"),
    ("en-GB,en;q=0.9,es;q=0.8", "en"),
    ("en;q=0.5, es-MX;q=0.8", "es"),
    ("fr-FR,fr;q=0.9,es;q=0.7,en;q=0.6", "es"),
    ("de, *;q=0.5", "en"),
    ("en;q=0, *;q=0.1", "es"),
    ("es;q=0", "en"),
    ("ES-es", "es"),
    ("es;q=nonsense, en;q=0.2", "en"),
])
def test_the_browsers_languages_pick_the_page_language_by_q_value(header, language):
    assert preferred_language(header) == language


def test_every_page_language_says_everything():
    for wording in (WORDING, PREVIEW_WORDING):
        english, spanish = wording["en"], wording["es"]
        assert english.keys() == spanish.keys()
        for key, value in english.items():
            if isinstance(value, dict):
                assert value.keys() == spanish[key].keys(), key
            assert spanish[key] != value, f"{key} is not translated"


@pytest.fixture
def client(settings):
    return TestClient(create_app(settings), client=("203.0.113.9", 40000))


def form_order_id(page: str) -> str:
    return re.search(r'name="order_id" value="([^"]+)"', page)[1]


def test_a_spanish_browser_gets_the_form_in_spanish_and_its_problems_keep_the_order_id(client, table):
    page = client.get("/", headers=SPANISH_BROWSER).text
    assert '<html lang="es">' in page and "Nombre del niño o la niña" in page and "Ayudó en casa" in page
    assert "Escuchar cómo lo dice Papá Noel" in page and "Child's name" not in page
    order_id = form_order_id(page)
    assert is_order_id(order_id) and order_id != form_order_id(client.get("/").text), "a new id for each form"

    answer = client.post("/orders", data={"order_id": order_id, "child_name": "R2-D2", "age": "6", "language": "en"},
                         headers=SPANISH_BROWSER)
    assert answer.status_code == 422 and '<html lang="es">' in answer.text
    assert "nombre: solo puede tener letras" in answer.text
    assert form_order_id(answer.text) == order_id

    sent = client.post("/orders", data={"order_id": order_id, "child_name": "Zoë", "age": "6", "language": "en"},
                       headers=SPANISH_BROWSER, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].endswith(f"/orders/{order_id}")
    assert table.get(order_id).language == "en", "an English video ordered from the Spanish page"

    changed = client.post("/orders", data={"order_id": order_id, "child_name": "Zoë", "age": "7", "language": "en"},
                          headers=SPANISH_BROWSER)
    assert changed.status_code == 409 and "ya se envió con otro valor en edad" in changed.text
    assert is_order_id(form_order_id(changed.text)) and form_order_id(changed.text) != order_id


def test_the_switch_sets_the_language_for_the_next_pages_too(client, table):
    english = client.get("/?lang=en", headers=SPANISH_BROWSER)
    assert '<html lang="en">' in english.text and english.cookies.get(COOKIE) == "en"
    assert 'href="/?lang=es"' in english.text and 'href="/?lang=en" hreflang="en" lang="en" aria-current' in english.text
    refused = client.post("/orders", data={"child_name": "Emma", "age": "", "language": "es"}, headers=SPANISH_BROWSER)
    assert "age: is required" in refused.text, "the cookie outranks the browser's languages"

    order = client.post("/orders", json={"child_name": "Emma", "age": 6, "language": "en"}).json()
    spanish = client.get(f"/orders/{order['order_id']}?lang=es", headers={"accept": "text/html"})
    assert '<html lang="es">' in spanish.text and spanish.cookies.get(COOKIE) == "es"
    assert '<span id="status" data-status="received">recibido</span>' in spanish.text
    assert "Tenemos tu pedido" in spanish.text and f'href="/orders/{order["order_id"]}?lang=en"' in spanish.text
    assert "No existe ese pedido" in client.get("/orders/ord_00000000000000000000000000",
                                                headers={"accept": "text/html"}).text


def test_a_name_preview_is_refused_in_the_language_its_page_asks_for(settings, monkeypatch, table):
    monkeypatch.setenv("SANTA_PREVIEW_PER_MINUTE", "2")
    client = TestClient(create_app(load_settings()), client=("203.0.113.10", 40000))
    bad = {"child_name": "R2-D2", "phonetic_name": None, "language": "es", "order_id": "ord_01m8e5j7khr5pnpzqn5jxgzgfy"}
    assert client.post("/name-preview?lang=es", json=bad).json()["errors"] == [
        "nombre: solo puede tener letras, espacios, apóstrofos, guiones y puntos (tiene '2')"]
    assert client.post("/name-preview", json=bad).json()["errors"] == [
        "child_name: may only contain letters, spaces, apostrophes, hyphens and dots (found '2')"]
    busy = client.post("/name-preview?lang=es", json=bad)
    assert busy.status_code == 429 and int(busy.headers["retry-after"]) >= 1
    assert busy.json()["errors"][0].startswith("demasiadas escuchas desde esta dirección; vuelve a intentarlo dentro de")
