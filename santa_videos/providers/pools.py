"""The paid providers' concurrency pools: the `audio` step takes a slot of the `elevenlabs` pool and the `clip` step
one of `higgsfield` (pool= on the assets), so at most that many steps call each provider at once, however their run
was launched: by the intake sensor, the reconciler, `dlq retry`, or Materialize in the Dagster UI.

A pool's limit lives in the instance. It comes from the environment (SANTA_ELEVENLABS_MAX_RUNS,
SANTA_HIGGSFIELD_MAX_RUNS), which dagster.yaml cannot read for pools, so the sensors write it into the instance: the
status sensor on its ticks, the intake sensor before it requests any run; a pool whose provider is not configured
has no limit.
"""

import time

import dagster as dg

from santa_videos.providers.settings import ProviderSettings, load_provider_settings
from santa_videos.sensors.instance import sensor_instance

ELEVENLABS_POOL = "elevenlabs"
HIGGSFIELD_POOL = "higgsfield"


def pool_limits(providers: ProviderSettings) -> dict[str, int | None]:
    """Each pool's limit from the environment; None when its provider is not in the chains."""
    return {
        ELEVENLABS_POOL: providers.elevenlabs_max_runs if "elevenlabs" in providers.speech_chain else None,
        HIGGSFIELD_POOL: providers.higgsfield_max_runs if "lipsync" in providers.clip_strategies else None,
    }


def apply_pool_limits(instance: dg.DagsterInstance, limits: dict[str, int | None]) -> list[str]:
    """Make the instance's pool limits these; returns what changed, e.g. ["higgsfield: 4"]. One read when nothing
    did."""
    storage = instance.event_log_storage
    current = {pool.name: pool.limit for pool in storage.get_pool_limits()}
    changed = []
    for pool, limit in limits.items():
        if limit is None and pool in current:
            storage.delete_concurrency_limit(pool)
            changed.append(f"{pool}: no limit")
        elif limit is not None and current.get(pool) != limit:
            storage.set_concurrency_slots(pool, limit)
            changed.append(f"{pool}: {limit}")
    return changed


# The instance's limits are read again after this long (an operator may have changed them in the UI).
POOL_LIMITS_EVERY_SECONDS = 60
_applied: dict[tuple, float] = {}


def keep_pool_limits(context: dg.SensorEvaluationContext) -> None:
    """Put the limits from the environment into the instance when they differ from what this process last wrote,
    or that was more than POOL_LIMITS_EVERY_SECONDS ago."""
    instance = sensor_instance(context)
    limits = pool_limits(load_provider_settings())
    key = (id(instance), tuple(sorted(limits.items())))
    if time.monotonic() - _applied.get(key, -POOL_LIMITS_EVERY_SECONDS) < POOL_LIMITS_EVERY_SECONDS:
        return
    changed = apply_pool_limits(instance, limits)
    if changed:
        context.log.info(f"provider pool limits set: {', '.join(changed)}")
    _applied.clear()
    _applied[key] = time.monotonic()
