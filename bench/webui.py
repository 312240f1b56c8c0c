"""The asset partitions page's query, sent to a real dagster-webserver on 127.0.0.1."""

import socket
import subprocess
import time

import httpx

from bench.instance import BIN, PROJECT_ROOT, BenchInstance

# What the UI asks for when it opens an asset's Partitions tab: every key and every key's status.
PARTITIONS_PAGE_QUERY = """
query AssetPartitionsPage($assetKey: AssetKeyInput!) {
  assetNodeOrError(assetKey: $assetKey) {
    __typename
    ... on AssetNode {
      id
      partitionKeysByDimension { name type partitionKeys }
      assetPartitionStatuses {
        __typename
        ... on DefaultPartitionStatuses {
          materializedPartitions materializingPartitions failedPartitions unmaterializedPartitions
        }
      }
    }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def partitions_page_seconds(bench: BenchInstance, repeats: int, asset: str = "video") -> list[float]:
    """Seconds per answer of the partitions page query, the first one (cold) included."""
    if repeats <= 0:
        return []
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with (bench.root / "webserver.log").open("ab") as log:
        server = subprocess.Popen(
            [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
            cwd=PROJECT_ROOT, env=bench.env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        with httpx.Client(base_url=base, timeout=300, trust_env=False) as client:
            _wait_until_up(client, server)
            timings = []
            for _ in range(repeats):
                started = time.perf_counter()
                response = client.post(
                    "/graphql", json={"query": PARTITIONS_PAGE_QUERY, "variables": {"assetKey": {"path": [asset]}}}
                )
                timings.append(time.perf_counter() - started)
                _check(response, bench)
            return timings
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(client: httpx.Client, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("dagster-webserver exited before it answered")
        try:
            if client.get("/server_info").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"dagster-webserver did not answer within {timeout:.0f} s")


def _check(response: httpx.Response, bench: BenchInstance) -> None:
    body = response.json()
    node = (body.get("data") or {}).get("assetNodeOrError") or {}
    if response.status_code != 200 or body.get("errors") or node.get("__typename") != "AssetNode":
        raise RuntimeError(f"the partitions page query failed: {str(body)[:500]} (see {bench.root})")
