"""The asset partitions page's query, sent to a real dagster-webserver on 127.0.0.1."""

import time

import httpx

from santa_videos.daemon_harness import DaemonHarness

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


def partitions_page_seconds(bench: DaemonHarness, repeats: int, asset: str = "video") -> list[float]:
    """Seconds per answer of the partitions page query, the first one (cold) included."""
    if repeats <= 0:
        return []
    with bench.webserver() as server, httpx.Client(base_url=server.url, timeout=300, trust_env=False) as client:
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.post(
                "/graphql", json={"query": PARTITIONS_PAGE_QUERY, "variables": {"assetKey": {"path": [asset]}}}
            )
            timings.append(time.perf_counter() - started)
            _check(response, bench)
        return timings


def _check(response: httpx.Response, bench: DaemonHarness) -> None:
    body = response.json()
    node = (body.get("data") or {}).get("assetNodeOrError") or {}
    if response.status_code != 200 or body.get("errors") or node.get("__typename") != "AssetNode":
        raise RuntimeError(f"the partitions page query failed: {str(body)[:500]} (see {bench.root})")
