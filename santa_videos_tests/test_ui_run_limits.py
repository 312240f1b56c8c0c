"""Runs launched by hand, the way the Dagster UI launches them (the GraphQL mutation of a Materialize click: the
asset selection of one partition, through a real dagster-webserver and dagster-daemon on PostgreSQL), obey the
paid providers' pools and the step retry policy like runs the sensors request. An operator re-runs three dead
letters (lip-sync orders, so the intake sensor leaves them alone) at once with one ElevenLabs and one Higgsfield slot (their script steps wait for each other, so all
three reach the providers together), yet neither fake provider ever serves two of them at once; a transient fault
in a clip step is tried again within its run."""

import json

import dagster as dg
import pytest
from dagster_graphql import DagsterGraphQLClient

from santa_videos.faults import release, write_plan
from santa_videos.orders import parse_order
from santa_videos.resources.higgsfield import HiggsfieldClips
from santa_videos_tests.fakes import FakeElevenLabs, FakeHiggsfield
from santa_videos_tests.fakes.pipeline import provider_env
from santa_videos_tests.fakes.server import Fault
from santa_videos_tests.paid_requests import paid_requests
from santa_videos_tests.reliability import drill, most_at_once  # noqa: F401 (fixture)

NAMES = ("Emma", "Mateo", "Lucía")
SPEECH_SECONDS = 1.5  # how long the fake ElevenLabs takes to answer each request


def pool_limits(instance: dg.DagsterInstance) -> dict[str, int]:
    return {pool.name: pool.limit for pool in instance.event_log_storage.get_pool_limits()}


@pytest.mark.slow
def test_runs_launched_from_the_ui_obey_the_provider_pools_and_the_step_retry_policy(drill):
    harness, instance, faults = drill.harness, drill.instance, drill.faults
    with FakeElevenLabs() as voice, FakeHiggsfield(queued_polls=40) as clips:
        voice.fail("tts", Fault(status=0, delay_seconds=SPEECH_SECONDS), times=None)
        orders = [parse_order({"child_name": name, "age": 0, "language": "en", "strategy": "lipsync"}) for name in NAMES]
        drill.table.add(orders)
        for order in orders:
            drill.table.mark_failed(order.order_id, "step clip: an earlier failure")
        instance.add_dynamic_partitions("videos", [order.order_id for order in orders])
        # These runs stop at the clip, so the reconciler would request full runs for the orders once its grace is
        # over; on a loaded machine this drill can outlast the default grace, and it is not the reconciler's drill.
        harness.start(**provider_env(voice, clips), SANTA_MAX_CONCURRENT_RUNS="3", SANTA_ELEVENLABS_MAX_RUNS="1",
                      SANTA_HIGGSFIELD_MAX_RUNS="1", SANTA_RECONCILE_GRACE_SECONDS="3600")
        harness.wait_for(lambda: pool_limits(instance) == {"elevenlabs": 1, "higgsfield": 1}, 120, "pool limits")
        write_plan(faults, {"step:script": {"kind": "hold", "times": 3}, "step:clip": {"kind": "transient", "times": 1}})
        with harness.webserver() as webserver:
            client = DagsterGraphQLClient("127.0.0.1", port_number=webserver.port)
            run_ids = [
                client.submit_job_execution(
                    "__ASSET_JOB", repository_location_name="santa_videos", repository_name="__repository__",
                    tags={"dagster/partition": order.order_id}, asset_selection=["script", "audio", "clip"],
                )
                for order in orders
            ]
            harness.wait_for(lambda: json.loads(faults.read_text())["step:script"]["times"] == 0, 180,
                             "the three runs to reach their script step")
            release(faults, "step:script")
            harness.wait_for(lambda: all(instance.get_run_by_id(run_id).is_finished for run_id in run_ids), 300, "the runs")
        harness.stop()
        records = [instance.get_run_record_by_id(run_id) for run_id in run_ids]
        retried = [
            record.event_log_entry.step_key
            for run_id in run_ids
            for record in instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_UP_FOR_RETRY).records
        ]

        assert [r.dagster_run.status for r in records] == [dg.DagsterRunStatus.SUCCESS] * 3, harness.log.read_text()[-3000:]
        assert not any(key.startswith("santa/") for r in records for key in r.dagster_run.tags)
        ids = {order.order_id for order in orders}
        rendered_by = {run.run_id for run in instance.get_runs() if run.tags.get("dagster/partition") in ids}
        assert rendered_by == set(run_ids), "no other run rendered these orders"
        assert most_at_once(records) >= 2, "the runs ran side by side, so only the pools kept the providers to one"
        generations = [(job.status, job.polls) for job in clips.jobs.values()]
        paid = paid_requests(harness.data_dir / "media" / "orders", [order.order_id for order in orders])
        assert (voice.count("tts"), clips.count("submit"), len(generations)) == (
            paid.speech, paid.generations, paid.generations), (generations, clips.peak_active)
        arrivals = sorted(request.received_at for request in voice.requests("tts"))
        gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
        assert min(gaps) >= SPEECH_SECONDS, f"one ElevenLabs request at a time: each came after the last was answered {gaps}"
        # One run generates at a time: no more generations at once than one run keeps in flight.
        assert clips.peak_active <= HiggsfieldClips.model_fields["max_in_flight"].default
        assert retried == ["clip"], "the transient fault was tried again by the step retry policy, in its run"
