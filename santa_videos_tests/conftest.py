import os

import dagster as dg
import pytest

from santa_videos.daemon_harness import PROJECT_ROOT, clean_env  # noqa: F401 (PROJECT_ROOT: tests import it from here)
from santa_videos.definitions import build_definitions
from santa_videos.orders import OrderTable, parse_order
from santa_videos.settings import Settings, load_settings

AWKWARD_NAME = "Zoë O'Brien-Núñez"
AWKWARD_MENTION = '100% "nice": shares {toys}, %{localtime} \\ [always]'
# The suite renders about a hundred videos. x264 `superfast` still gives High@4.0 (the delivery spec) at two thirds
# of the product default's encode time; the end-to-end pipeline test keeps the default.
TEST_X264_PRESET = "superfast"
TIERS = ("unit", "integration", "slow")  # cheapest first


def pytest_configure(config):
    os.environ.setdefault("SANTA_X264_PRESET", TEST_X264_PRESET)


@pytest.hookimpl(tryfirst=True)  # before `-m` selects: `fast` is derived here
def pytest_collection_modifyitems(config, items):
    """Each test's tier is the most expensive of its tier markers; `make test-fast` (-m fast) takes the unit tier
    and the smoke test. A test with no tier is an error: say where it belongs (see pytest.ini)."""
    unclassified = []
    for item in items:
        marked = {mark.name for mark in item.iter_markers()}
        tiers = [tier for tier in TIERS if tier in marked]
        if not tiers:
            unclassified.append(item.nodeid)
        elif tiers[-1] == "unit" or "smoke" in marked:
            item.add_marker("fast")
    if unclassified:
        raise pytest.UsageError(
            f"tests without a tier ({', '.join(TIERS)}; see pytest.ini):\n  " + "\n  ".join(unclassified)
        )
    for item in items:
        group = module_fixture_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    # A parallel run's workers (pytest-xdist) are handed work in this order: the longest tiers first, so none is
    # left running alone at the end. Stable, so a module's tests keep their order.
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: -max((TIERS.index(m.name) for m in item.iter_markers() if m.name in TIERS),
                                         default=0))


LOST_GROUPS = pytest.StashKey[set]()


@pytest.hookimpl(tryfirst=True)  # before a parallel worker hands its tests' ids to pytest-xdist
def pytest_collection_finish(session):
    """A parallel worker's grouped tests carry their group in their id (`id@group`), which is all pytest-xdist's
    scheduler reads: lost, every worker would build each module's cluster and browser of its own."""
    if getattr(session.config.option, "loadgroup", False):  # set in parallel workers only
        session.config.stash[LOST_GROUPS] = {
            item.nodeid for item in session.items
            if item.get_closest_marker("xdist_group") and "@" not in item.nodeid.rpartition("]")[2]
        }


@pytest.hookimpl(tryfirst=True)  # before the test's fixtures are built
def pytest_runtest_setup(item):
    if item.nodeid in item.config.stash.get(LOST_GROUPS, ()):
        pytest.fail("pytest-xdist's loadgroup lost this test's group: this pytest and pytest-xdist do not work "
                    "together (see setup.py's dev extra)", pytrace=False)


def module_fixture_group(item) -> str | None:
    """Tests that use a fixture built once per module (a cluster, a browser, a rendered video) run on one parallel
    worker (`--dist loadgroup`), which builds it once: their group is the module, and the fixture's parameter when
    it has one (each parameter is a fixture of its own, so those run side by side)."""
    fixtures = getattr(item, "_fixtureinfo", None)
    if fixtures is None:
        return None
    shared = [name for name, definitions in fixtures.name2fixturedefs.items()
              if any(definition.scope in ("module", "package") for definition in definitions)]
    if not shared:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    return "-".join([item.module.__name__, *(str(params[name]) for name in shared if name in params)])


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    """Settings pointing at a private data folder, media store and orders database under the test's temp dir."""
    monkeypatch.setenv("SANTA_DATA_DIR", str(tmp_path / "data"))
    # A sensor function called in the test's process returns at once rather than watching for new orders.
    monkeypatch.setenv("SANTA_INTAKE_LISTEN_SECONDS", "0")
    monkeypatch.delenv("SANTA_ORDERS_DB_URL", raising=False)
    monkeypatch.delenv("SANTA_MEDIA_URL", raising=False)  # the data folder; `store_env` (s3.py) offers a bucket
    return load_settings()


@pytest.fixture
def table(settings) -> OrderTable:
    table = OrderTable(settings.orders_db_url)
    yield table
    table.dispose()


@pytest.fixture
def instance(tmp_path):
    """A real Dagster instance on SQLite in the test's temp dir."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        yield instance


@pytest.fixture
def definitions(settings) -> dg.Definitions:
    return build_definitions(settings)


def make_order(**overrides):
    fields = {"child_name": "Emma", "age": 6, "language": "en", "mentions": ["you fed the birds every morning"]}
    fields.update(overrides)
    return parse_order(fields)


def subprocess_env(**extra) -> dict:
    """The environment of a command under test: none of this process's SANTA_ or DAGSTER_ settings but the preset."""
    return clean_env(("SANTA_X264_PRESET",), **extra)
