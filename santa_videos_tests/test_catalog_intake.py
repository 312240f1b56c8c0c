"""A landing page reads the catalog (GET /catalog, `santa-videos catalog`) and sends its keys as mentions, beside
the parent's own words, through every door an order comes in by: JSON, the HTML form, the CLI and CSV."""

import csv
import json
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from santa_videos.cli import main
from santa_videos.intake_http import create_app
from santa_videos.script.catalog import CATALOG

pytestmark = [pytest.mark.unit, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture
def client(settings):
    return TestClient(create_app(settings), client=("203.0.113.9", 40000))


def test_the_catalog_is_served_as_json_for_any_landing_page(client):
    answer = client.get("/catalog")
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    document = answer.json()
    assert document["languages"] == ["en", "es"] and len(document["entries"]) == len(CATALOG) >= 20
    first = document["entries"][0]
    assert set(first) == {"key", "kind", "labels"} and set(first["labels"]) == {"en", "es"}
    spanish = client.get("/catalog", params={"language": "es"}).json()
    assert {item["key"]: item["labels"] for item in spanish["entries"]}["helped_at_home"] == {"es": "Ayudó en casa"}
    refused = client.get("/catalog", params={"language": "fr"})
    assert refused.status_code == 400 and "language must be one of en, es" in refused.json()["errors"][0]


def test_a_json_order_may_mix_catalog_keys_and_own_words(client, table):
    answer = client.post("/orders", json={"child_name": "Emma", "age": 6, "language": "en",
                                          "mentions": ["helped_at_home", "you fed the birds"]})
    assert answer.status_code == 201
    assert table.get(answer.json()["order_id"]).mentions == ["helped_at_home", "you fed the birds"]
    refused = client.post("/orders", json={"child_name": "Emma", "age": 6, "language": "en", "mentions": ["wish_pony"]})
    assert refused.status_code == 422 and "'wish_pony' is not a catalog key" in refused.json()["errors"][0]


def test_the_form_offers_the_catalog_and_keeps_choices_and_words_apart_when_sent_back(client, table):
    page = client.get("/").text
    assert all(f'value="{key}"' in page for key in CATALOG)
    form = [("child_name", "Emma"), ("age", ""), ("language", "en"), ("mentions", "helped_at_home"),
            ("mentions", "wish_bike"), ("mentions", "you fed the birds\r\nshared toys")]
    urlencoded = {"content-type": "application/x-www-form-urlencoded"}
    again = client.post("/orders", content=urlencode(form), headers=urlencoded)
    assert again.status_code == 422 and "age: is required" in again.text
    assert 'value="helped_at_home" checked' in again.text and 'value="wish_bike" checked' in again.text
    assert ">you fed the birds\nshared toys</textarea>" in again.text

    form[1] = ("age", "6")
    sent = client.post("/orders", content=urlencode(form), headers=urlencoded, follow_redirects=False)
    assert sent.status_code == 303
    order_id = sent.headers["location"].rsplit("/", 1)[1]
    assert table.get(order_id).mentions == ["helped_at_home", "wish_bike", "you fed the birds", "shared toys"]


def test_the_cli_lists_the_catalog_and_takes_keys_from_flags_and_csv(table, tmp_path, capsys):
    assert main(["catalog", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"][0]["key"] == next(iter(CATALOG))
    assert main(["catalog", "--language", "es"]) == 0
    assert "helped_at_home" in capsys.readouterr().out

    assert main(["submit", "--name", "Emma", "--age", "6", "--language", "en", "--mention", "learned_to_swim",
                 "--mention", "you fed the birds"]) == 0
    order_id = capsys.readouterr().out.strip()
    assert table.get(order_id).mentions == ["learned_to_swim", "you fed the birds"]

    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["child_name", "age", "language", "mentions"],
                                      ["Mateo", "8", "es", "wish_snow|ayudaste a tu abuela"]])
    assert main(["import", str(path)]) == 0
    (imported,) = capsys.readouterr().out.split()
    assert table.get(imported).mentions == ["wish_snow", "ayudaste a tu abuela"]
