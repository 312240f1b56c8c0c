"""Moderation: what Santa must not say to a child is refused at submission, in English and Spanish and through the
usual evasions, while ordinary words and real children's names pass. A refusal names the field (and the mention)
and never repeats the refused word, in its message or in any log line."""

import csv
import importlib
import logging
import re

import pytest
from starlette.testclient import TestClient

from santa_videos.cli import main
from santa_videos.intake_http import create_app
from santa_videos.orders import OrderInvalid, OrderTable, parse_order
from santa_videos.orders.moderation import WHAT
from santa_videos.settings import load_settings
from santa_videos_tests.postgres import STORAGES, orders_database

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

GOOD = {"child_name": "Emma", "age": 6, "language": "en"}

# (language, mention, what it contains)
REFUSED_MENTIONS = [
    ("en", "said 'shit' at school", "a swear word"),
    ("en", "you are a fucking star", "a swear word"),
    ("en", "f*ck the homework", "a swear word"),
    ("en", "f**k", "a swear word"),
    ("en", "sh1t happens", "a swear word"),
    ("en", "s h i t", "a swear word"),
    ("en", "shiiiiit", "a swear word"),
    ("en", "FUUUUCK", "a swear word"),
    ("en", "sh!t", "a swear word"),
    ("en", "$hit", "a swear word"),
    ("en", "ｆｕｃｋ", "a swear word"),
    ("en", "fück", "a swear word"),
    ("en", "phuck", "a swear word"),
    ("en", "absofuckinglutely", "a swear word"),
    ("en", "what a b1tch", "a swear word"),
    ("en", "a$$hole", "a swear word"),
    ("en", "bullshit", "a swear word"),
    ("en", "piece of crap", "a swear word"),
    ("en", "cunt", "a swear word"),
    ("en", "you are a dick", "an insult"),
    ("en", "Emma is such an idiot", "an insult"),
    ("en", "stupid moron", "an insult"),
    ("en", "dumbass", "a swear word"),
    ("en", "shut up", "an insult"),
    ("en", "kill yourself", "an insult"),
    ("en", "retard", "an insult"),
    ("en", "likes porn", "sexual content"),
    ("en", "had sex with", "sexual content"),
    ("en", "sexy boy", "sexual content"),
    ("en", "show me your boobs", "sexual content"),
    ("en", "big cock", "sexual content"),
    ("en", "blowjob", "sexual content"),
    ("en", "whore", "a swear word"),
    ("en", "nigger", "a slur"),
    ("en", "faggot", "a slur"),
    ("es", "eres un cabrón", "an insult"),
    ("es", "hijo de puta", "a swear word"),
    ("es", "hijo de p*ta", "a swear word"),
    ("es", "qué mierda", "a swear word"),
    ("es", "m1erda", "a swear word"),
    ("es", "m#erda", "a swear word"),
    ("es", "p u t a", "a swear word"),
    ("es", "putaaaa", "a swear word"),
    ("es", "joder", "a swear word"),
    ("es", "coño", "a swear word"),
    ("es", "gilipollas", "an insult"),
    ("es", "pendejo", "a swear word"),
    ("es", "culero", "a swear word"),
    ("es", "chinga tu madre", "an insult"),
    ("es", "me cago en todo", "a swear word"),
    ("es", "eres un idiota", "an insult"),
    ("es", "imbécil", "an insult"),
    ("es", "estúpido", "an insult"),
    ("es", "subnormal", "an insult"),
    ("es", "Lucía es una zorra", "an insult"),
    ("es", "eres un mamón", "an insult"),
    ("es", "cállate", "an insult"),
    ("es", "maricón", "a slur"),
    ("es", "sudaca", "a slur"),
    ("es", "le gusta el porno", "sexual content"),
    ("es", "tiene sexo", "sexual content"),
    ("es", "tetas grandes", "sexual content"),
    ("es", "follar", "sexual content"),
    ("es", "polla", "sexual content"),
]

# Ordinary words that contain, sound like or share a spelling with a refused one.
ACCEPTED_MENTIONS = [
    ("en", "got a cockatiel for her birthday"),
    ("en", "visited Scunthorpe and Penistone"),
    ("en", "moved from Essex to Middlesex"),
    ("en", "passed the class test"),
    ("en", "plays the bass and the bassoon"),
    ("en", "loves Arsenal"),
    ("en", "read Dickens with grandpa"),
    ("en", "saw a peacock and a great tit"),
    ("en", "watches Hitchcock films"),
    ("en", "plays badminton with a shuttlecock"),
    ("en", "found a shiitake mushroom"),
    ("en", "her therapist says she is brave"),
    ("en", "grows grapes and cucumbers"),
    ("en", "watched Dumbo and Titanic"),
    ("en", "the country fair"),
    ("en", "helped Uncle Dick in the garden"),
    ("en", "a Maine Coon cat called Button"),
    ("en", "saw blue-footed boobies in the Galapagos"),
    ("en", "a naked mole rat at the zoo"),
    ("en", "5* hotel and a #1 fan"),
    ("en", "got an A+ and 100% in maths"),
    ("en", "the rooster crowed cock-a-doodle-doo"),
    ("es", "le regalaron una computadora"),
    ("es", "ganó la disputa del ajedrez"),
    ("es", "tiene buena reputación en clase"),
    ("es", "vio una película y un espectáculo"),
    ("es", "hizo un cálculo difícil"),
    ("es", "su vehículo favorito es el tren"),
    ("es", "tiene mucho músculo"),
    ("es", "recogió conchas en la playa"),
    ("es", "cuidó a su pollito"),
    ("es", "ya está en sexto grado"),
    ("es", "vio una zorra con sus cachorros"),
    ("es", "le encanta El Zorro"),
    ("es", "Luna es una perra muy buena"),
    ("es", "tocó el pito en el desfile"),
    ("es", "el diputado visitó su escuela"),
    ("es", "cuida la tetera de la abuela"),
    ("es", "vio una mariposa y un bicho"),
    ("es", "aprendió a coger el autobús sola"),
    ("es", "un capullo de rosa"),
    ("es", "comió un cono de helado"),
    ("es", "el tren llegó retrasado"),
    ("es", "jugó con su primo Kike"),
    ("es", "ayudó a mamá con los huevos de Pascua"),
    ("es", "vive en Putumayo"),
]

REFUSED_NAMES = [
    ("Shit", "a swear word"), ("Fuck Face", "a swear word"), ("Shitface", "a swear word"),
    ("Fuuuuck", "a swear word"), ("Emma Bitch", "a swear word"), ("Cunt", "a swear word"), ("Dickhead", "a swear word"),
    ("Puta", "a swear word"), ("Mierda", "a swear word"), ("Cabrón", "a swear word"), ("Pendejo", "a swear word"),
    ("Nigger", "a slur"), ("Maricón", "a slur"), ("Idiota", "an insult"), ("Porno", "sexual content"),
]

# Real first and last names that are, contain or sound like a bad word somewhere.
REAL_NAMES = [
    "Dick", "Richard Dick", "Fanny", "Randy", "Willy", "Gay", "Gaylord", "Cummings", "Harry Cox", "Dickinson",
    "Cockburn", "Butts", "Titus", "Cassandra", "Hassan", "Assad", "Nigel", "Dikshit", "Phuc", "Bich", "Hung", "Dong",
    "Wang", "Semen", "Anal", "Kuntz", "Shitij", "Analise", "Dixie", "Peter Hancock", "Heinrich Fagg", "Fuk Ling",
    "Mary Hoare", "Ashley", "Sasha", "Dickon", "Hardick", "Sexton", "Wankel", "Wanker", "Dumbleton", "Candy",
    "Cherry", "Bambi", "Titmuss", "Assange", "Hooker", "Slutsky", "Crapanzano", "Milford", "Bonner", "Condon",
    "Cumming", "Dick Van Dyke", "Japp", "Morron",
    "María", "Maricarmen", "Marisol", "Marica", "Penélope", "Concha", "Consuelo", "Cándida", "Dolores", "Inmaculada",
    "Jesús", "Trinidad", "Remedios", "Socorro", "Milagros", "Amparo", "Angustias", "Soledad", "Asunción",
    "Encarnación", "Purificación", "Fulgencio", "Bárbara", "Pura", "Casta", "Virginia", "Rocío", "Chus", "Begoña",
    "Itziar", "Kike", "Cabrera", "Culebras", "Peña", "Vergara", "Verga", "Zorrilla", "Morón", "Boluda", "Putnam",
]

FAKER_LOCALES = ["en_US", "en_GB", "en_IE", "en_NZ", "es_ES", "es_MX", "es_AR", "es_CO"]


@pytest.fixture(params=STORAGES)
def table(request, settings, monkeypatch):
    """The orders table the intake writes to (nothing, here), on SQLite and on PostgreSQL."""
    with orders_database(request.param, settings.data_dir, "moderation") as url:
        monkeypatch.setenv("SANTA_ORDERS_DB_URL", url)
        table = OrderTable(url)
        yield table
        table.dispose()


def refusal_messages(fields: dict) -> list[str]:
    with pytest.raises(OrderInvalid) as raised:
        parse_order(fields)
    return raised.value.errors


def assert_not_echoed(text: str, said: str) -> None:
    repeated = set(re.findall(r"\w+", text.casefold())) & set(re.findall(r"\w+", said.casefold()))
    assert repeated <= {"a", "an"}, f"{repeated} repeated in {said!r}"


@pytest.mark.parametrize("language, mention, what", REFUSED_MENTIONS, ids=[m for _, m, _ in REFUSED_MENTIONS])
def test_a_refused_mention_is_named_by_number_and_not_repeated(language, mention, what):
    errors = refusal_messages({**GOOD, "language": language, "mentions": ["was kind to the cat", mention]})
    assert errors == [f"mentions: mention 2 contains {what}, which Santa will not say"]
    assert_not_echoed(mention, errors[0])


@pytest.mark.parametrize("language, mention", ACCEPTED_MENTIONS, ids=[m for _, m in ACCEPTED_MENTIONS])
def test_ordinary_words_that_look_like_bad_ones_pass(language, mention):
    assert parse_order({**GOOD, "language": language, "mentions": [mention]}).mentions == [mention]


@pytest.mark.parametrize("name, what", REFUSED_NAMES, ids=[n for n, _ in REFUSED_NAMES])
def test_a_refused_name_or_phonetic_name_is_named(name, what):
    assert refusal_messages({**GOOD, "child_name": name}) == [f"child_name: contains {what}, which Santa will not say"]
    assert refusal_messages({**GOOD, "phonetic_name": name}) == [
        f"phonetic_name: contains {what}, which Santa will not say"
    ]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_a_real_name_is_never_refused(name):
    order = parse_order({**GOOD, "child_name": name, "phonetic_name": name, "mentions": [f"visited {name}"]})
    assert (order.child_name, order.phonetic_name) == (name, name)


def test_no_first_or_last_name_of_english_and_spanish_speaking_countries_is_refused():
    """Faker's name lists (real first and last names per country): thousands of names, none refused."""
    names = set()
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
            names.update(getattr(provider, attribute, ()))
    assert len(names) > 5000
    refused = [name for name in sorted(names) if _refused({**GOOD, "child_name": name})]
    assert refused == []


def _refused(fields: dict) -> bool:
    try:
        parse_order(fields)
    except OrderInvalid:
        return True
    return False


def test_every_refused_mention_is_listed_in_one_message():
    errors = refusal_messages({**GOOD, "child_name": "Shit", "mentions": ["fuck", "was kind", "eres un idiota"]})
    assert errors == [
        "child_name: contains a swear word, which Santa will not say",
        "mentions: mention 1 contains a swear word; mention 3 contains an insult, which Santa will not say",
    ]
    assert set(WHAT.values()) >= {"a swear word", "a slur", "an insult", "sexual content"}


def test_the_operator_can_let_a_real_name_through(monkeypatch):
    assert _refused({**GOOD, "child_name": "Ana Crap"})
    monkeypatch.setenv("SANTA_MODERATION_ALLOWED_NAMES", "Crap, Someone")
    assert parse_order({**GOOD, "child_name": "Ana Crap"}).child_name == "Ana Crap"
    assert _refused({**GOOD, "mentions": ["what crap"]}), "a lower-case word in a mention is still a word"


def test_cli_submit_refuses_with_exit_2_and_never_prints_the_word(table, capsys):
    code = main(["submit", "--name", "Emma", "--age", "6", "--language", "en",
                 "--mention", "fed the birds", "--mention", "said 'shit' at school"])
    out, err = capsys.readouterr()
    assert code == 2 and "mentions: mention 2 contains a swear word, which Santa will not say" in err
    assert "shit" not in (out + err).casefold()
    assert table.waiting_in_intake_order(10) == []


def test_csv_import_with_one_refused_row_queues_nothing(table, tmp_path, capsys):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["child_name", "age", "language", "mentions"],
            ["Emma", "6", "en", "fed the birds|wants a sled"],
            ["Lucía", "5", "es", "ayudó en casa|hijo de puta"],
            ["Maricarmen", "4", "es", "recogió conchas"],
        ])
    assert main(["import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "row 3: mentions: mention 2 contains a swear word, which Santa will not say" in err
    assert "puta" not in (out + err).casefold()
    assert table.waiting_in_intake_order(10) == []


def test_http_intake_answers_422_for_json_and_the_form_and_logs_no_refused_word(table, caplog):
    caplog.set_level(logging.DEBUG)
    client = TestClient(create_app(load_settings()), client=("203.0.113.9", 40000))
    answer = client.post("/orders", json={**GOOD, "child_name": "Shitface", "mentions": ["fed the birds", "vete a la mierda"]})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        "child_name: contains a swear word, which Santa will not say",
        "mentions: mention 2 contains an insult, which Santa will not say",
    ]
    form = client.post("/orders", data={"child_name": "Emma", "age": "6", "language": "en", "mentions": "sexy boy"})
    assert form.status_code == 422 and "mention 1 contains sexual content, which Santa will not say" in form.text
    assert table.waiting_in_intake_order(10) == []
    logged = caplog.text.casefold()
    for word in ("shitface", "mierda", "sexy"):
        assert word not in logged
