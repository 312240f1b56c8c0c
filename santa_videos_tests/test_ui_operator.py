"""What an operator sees in the Dagster UI, driven in a real Chromium against a real dagster-webserver.

The instance is the project's own dagster.yaml (queued run coordinator) in a temp dir, prepared with two
delivered orders and one dead letter (a run that failed in `video` on a broken encoder preset); a real
dagster-daemon launches what the UI asks for.
"""

import re

import dagster as dg
import pytest

from santa_videos.daemon_harness import DaemonHarness
from santa_videos.definitions import build_definitions
from santa_videos.orders import OrderTable
from santa_videos.orders.status_rules import RunRef
from santa_videos.resources.encoder import VideoEncoder
from santa_videos.settings import load_settings
from santa_videos_tests.browser import chromium, screenshot
from santa_videos_tests.conftest import make_order

ASSETS = ["script", "audio", "clip", "video", "delivery"]


def prepare_orders(harness: DaemonHarness) -> dict:
    """Render two orders and fail a third through the job itself, in this process, on the harness's instance."""
    settings = load_settings()
    table = OrderTable(settings.orders_db_url)
    delivered = [make_order(), make_order(language="es", child_name="Mateo")]
    failed = make_order(child_name="Lucía")
    table.add([*delivered, failed])
    instance = harness.instance()
    instance.add_dynamic_partitions("videos", [o.order_id for o in [*delivered, failed]])
    job = build_definitions(settings).resolve_job_def("video_job")
    for order in delivered:
        assert job.execute_in_process(instance=instance, partition_key=order.order_id).success
    broken = build_definitions(settings, encoder=VideoEncoder(preset="no-such-preset")).resolve_job_def("video_job")
    result = broken.execute_in_process(instance=instance, partition_key=failed.order_id, raise_on_error=False)
    assert not result.success
    failed_run = RunRef.of(instance.get_run_record_by_id(result.run_id))
    table.mark_failed(failed.order_id, "step video: encoding the final video failed", failed_run)
    table.dispose()
    return {"delivered": [o.order_id for o in delivered], "failed": failed.order_id, "failed_run": result.run_id}


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    """The prepared instance, a dagster-daemon and a dagster-webserver over it, and a Chromium page."""
    root = tmp_path_factory.mktemp("operator_ui")
    harness = DaemonHarness(root, SANTA_MAX_CONCURRENT_RUNS="2")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("DAGSTER_HOME", "SANTA_DATA_DIR", "SANTA_MAX_CONCURRENT_RUNS"):
            patch.setenv(name, harness.env[name])
        patch.delenv("SANTA_ORDERS_DB_URL", raising=False)
        orders = prepare_orders(harness)
        harness.start()
        try:
            with harness.webserver() as web, chromium() as browser:
                page = browser.new_page()
                page.set_default_timeout(60_000)
                yield {**orders, "page": page, "url": web.url, "harness": harness}
        finally:
            harness.stop()


def drawn_graph(page) -> tuple[dict, list]:
    """The asset nodes (name -> box) and edges (start and end points) as the lineage view draws them in SVG."""
    return page.evaluate("""() => {
        const nodes = {};
        for (const box of document.querySelectorAll('foreignObject')) {
            const name = box.querySelector('[class*="assetName"]');
            if (name) nodes[name.textContent.trim()] = ['x', 'y', 'width', 'height'].map(a => +box.getAttribute(a));
        }
        const edges = [];
        for (const path of document.querySelectorAll('path[stroke*="lineage-edge"]')) {
            const numbers = path.getAttribute('d').match(/-?[0-9.]+/g).map(Number);
            edges.push([numbers.slice(0, 2), numbers.slice(-2)]);
        }
        return [nodes, edges];
    }""")


def node_at(nodes: dict, x: float, y: float, side: str) -> str:
    """The node whose left (side='in') or right (side='out') edge midpoint is nearest to (x, y)."""
    def distance(box):
        bx, by, width, height = box
        edge_x = bx + width if side == "out" else bx
        return abs(edge_x - x) + abs(by + height / 2 - y)
    name = min(nodes, key=lambda n: distance(nodes[n]))
    assert distance(nodes[name]) < 20, f"no node at ({x}, {y})"
    return name


@pytest.mark.slow
def test_the_asset_graph_shows_the_five_steps_and_their_edges(ui):
    page = ui["page"]
    page.goto(ui["url"] + "/locations/santa_videos/asset-groups/videos")
    graph = build_definitions(load_settings()).resolve_asset_graph()
    expected = {(parent.to_user_string(), key.to_user_string())
                for key in graph.get_all_asset_keys() for parent in graph.get(key).parent_keys}
    page.get_by_text("delivery", exact=True).first.wait_for()
    page.locator('[style*="--minimal-bg: var(--color-background-green)"]').first.wait_for()  # statuses loaded
    # The edges are drawn after the nodes: read the graph once they are all there (or the wait times out).
    page.wait_for_function(
        f"document.querySelectorAll('path[stroke*=\"lineage-edge\"]').length >= {len(expected)}"
    )
    nodes, edges = drawn_graph(page)
    screenshot(page, "ui-asset-graph")
    assert sorted(nodes) == sorted(ASSETS)
    drawn = {(node_at(nodes, *start, "out"), node_at(nodes, *end, "in")) for start, end in edges}
    assert drawn == expected
    assert {("script", "audio"), ("audio", "clip"), ("clip", "video"), ("video", "delivery")} <= drawn


def partition_dots(page) -> dict:
    """Each partition row's key and the colour of its status dot, as rendered (computed style)."""
    return page.evaluate("""() => {
        const rows = {};
        for (const key of document.querySelectorAll('[data-tooltip^="ord_"]')) {
            const dot = key.parentElement.querySelector('div[style*="border-radius: 100%"]');
            rows[key.getAttribute('data-tooltip')] = dot ? getComputedStyle(dot).backgroundColor : null;
        }
        return rows;
    }""")


def colour(css: str) -> str:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    if green > red and green > blue:
        return "green"
    return "red" if red > green and red > blue else css


@pytest.mark.slow
def test_the_videos_partitions_show_delivered_green_and_the_dead_letter_red(ui):
    page = ui["page"]
    page.goto(ui["url"] + "/assets/video?view=partitions")
    page.get_by_text("Failed (1)").wait_for()
    page.get_by_text("Materialized (2)").wait_for()
    dots = {key: colour(css) for key, css in partition_dots(page).items()}
    screenshot(page, "ui-video-partitions")
    assert dots == {**{key: "green" for key in ui["delivered"]}, ui["failed"]: "red"}


@pytest.mark.slow
def test_the_failed_run_shows_its_step_and_error(ui):
    page = ui["page"]
    page.goto(ui["url"] + f"/runs/{ui['failed_run']}")
    errored = page.get_by_text("Errored (1)")
    errored.wait_for()
    assert page.get_by_text("Failure", exact=True).first.is_visible()
    assert re.search(r"Errored \(1\)\s+video\b", page.inner_text("body"))
    page.get_by_placeholder("Filter…").fill("type:STEP_FAILURE")
    failure = page.get_by_text("encoding the final video failed").first
    failure.wait_for()
    screenshot(page, "ui-failed-run")
    log = page.inner_text("body")
    assert "STEP_FAILURE" in log and "invalid preset 'no-such-preset'" in log


@pytest.mark.slow
def test_a_partition_launched_from_the_ui_is_rendered_by_the_daemon(ui):
    page, harness, failed = ui["page"], ui["harness"], ui["failed"]
    page.goto(ui["url"] + "/locations/santa_videos/asset-groups/videos")
    page.get_by_text("Materialize all…").click()
    dialog = page.locator(".dagster-dialog")
    dialog.get_by_text("Select a partition or create one").click()
    page.get_by_text(failed, exact=True).first.click()
    dialog.get_by_text("Launch runs to materialize").click()  # closes the partition picker
    screenshot(page, "ui-launch-dead-letter")
    dialog.get_by_role("button", name="Launch 1 run").click()
    dialog.wait_for(state="hidden")

    instance = harness.instance()

    def rerun_finished():
        runs = [r for r in instance.get_runs() if r.tags.get("dagster/partition") == failed and r.run_id != ui["failed_run"]]
        return runs if runs and all(r.is_finished for r in runs) else None

    (run,) = harness.wait_for(rerun_finished, 600, "the run launched from the UI")
    assert run.status == dg.DagsterRunStatus.SUCCESS, harness.log.read_text()[-3000:]
    assert OrderTable(load_settings().orders_db_url).get(failed).status == "delivered"
    page.goto(ui["url"] + "/assets/video?view=partitions")
    page.get_by_text("Materialized (3)").wait_for()
    assert {colour(css) for css in partition_dots(page).values()} == {"green"}
    screenshot(page, "ui-dead-letter-rerun")
