"""Lip-sync in segments through the `clip` asset against the fake Higgsfield: the clip lasts exactly the speech,
shared sentences are paid for once for every order (also by two runs at once), a restarted step never pays for a
segment twice, and a failure midway keeps what was made and lets the template serve. Also the assembly of pieces
from clips shorter than their slots."""

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
import sqlalchemy as sa

from santa_videos.media.clip_concat import SourceClip, assemble_clip, clip_frames
from santa_videos.media.lipsync_segments import FPS, Piece, plan_generations, plan_slots, sentences_of
from santa_videos.media.clip_library import ensure_portrait
from santa_videos.orders.lipsync_ledger import LipsyncLedger, segments_table
from santa_videos.providers.retry import Attempts
from santa_videos.resources.higgsfield import HiggsfieldClips
from santa_videos.resources.lipsync_clip import LipsyncCosts, render_lipsync, wanted_generations
from santa_videos.resources.media_store import media_store
from santa_videos.settings import load_settings, load_storage_settings
from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)
from santa_videos_tests.fakes.server import Fault
from santa_videos_tests.lipsync_speech import publish_speech, run_clip
from santa_videos_tests.media_checks import ffprobe
from santa_videos_tests.media_sync import brightness_per_frame, picture_follows_sound
from santa_videos_tests.s3 import store_env  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


def planned(timing: dict) -> tuple[int, int]:
    """(shared, personal) generations the speech needs."""
    generations = plan_generations(plan_slots(sentences_of(timing), timing["duration"]))
    return sum(g.shared for g in generations), sum(not g.shared for g in generations)


def ledger_rows(world, order_id: str):
    return LipsyncLedger(world.table.engine, "test").of_order(order_id)


def with_its_sound(world, order_id: str, out):
    """The order's clip muxed with its speech, as the video step would show them together."""
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(world.media_file(order_id, "clip.mp4")),
                    "-i", str(world.media_file(order_id, "audio.wav")), "-c:v", "copy", "-c:a", "aac", "-shortest",
                    str(out)], check=True, timeout=120)
    return out


def test_a_second_order_pays_only_for_its_own_sentences(world, fakes, tmp_path):
    _, clips = fakes
    first, second = world.add_order(strategy="lipsync"), world.add_order(strategy="lipsync", child_name="Noah")
    timings = {first: publish_speech(world, first, "Emma"), second: publish_speech(world, second, "Noah")}
    shared, personal = planned(timings[first])
    assert planned(timings[second]) == (shared, personal)
    assert shared >= 3 and personal >= 1

    result = run_clip(world, first)
    assert result.success
    made = world.metadata(result, "clip")
    assert (made["strategy"], made["skipped"]) == ("lipsync", "none")
    assert clips.count("submit") == made["lipsync_generations"] == shared + personal
    assert made["lipsync_seconds_billed"] == sum(job.duration for job in clips.jobs.values())
    assert made["lipsync_segments_reused"] == 0 and made["lipsync_coverage"] == 1.0
    assert all(job.audio_seconds <= job.duration <= 15 for job in clips.jobs.values())

    result = run_clip(world, second)
    assert result.success
    again = world.metadata(result, "clip")
    assert clips.count("submit") == shared + 2 * personal, "the shared sentences cost the second order nothing"
    assert (again["lipsync_generations"], again["lipsync_segments_reused"]) == (personal, shared)
    assert again["lipsync_coverage"] == 1.0
    stored = load_settings().data_dir / "shared" / "lipsync"
    assert len(list(stored.glob("*.mp4"))) == shared
    assert len(list(world.media_file(second, "lipsync").glob("*.mp4"))) == personal
    assert ledger_rows(world, first) == [] and ledger_rows(world, second) == []
    bills = [(world.table.get(o).lipsync_generations, world.table.get(o).lipsync_seconds_billed) for o in timings]
    assert bills == [(shared + personal, made["lipsync_seconds_billed"]), (personal, again["lipsync_seconds_billed"])]

    for order_id, timing in timings.items():
        assert clip_frames(world.media_file(order_id, "clip.mp4")) == round(timing["duration"] * FPS)
    assert picture_follows_sound(with_its_sound(world, second, tmp_path / "second.mp4")) > 0.8


def all_rows(world):
    with world.table.engine.connect() as conn:
        return conn.execute(sa.select(segments_table)).all()


def test_a_step_restarted_after_its_run_died_polls_what_that_run_paid_for(world, fakes, tmp_path):
    _, clips = fakes
    order_id = world.add_order(strategy="lipsync")
    timing = publish_speech(world, order_id)
    higgsfield = HiggsfieldClips(api_key=clips.api_key, base_url=clips.url)  # as the definitions configure it
    portrait = ensure_portrait(load_settings().media_dir / "scene")
    wanted, _ = wanted_generations(order_id, timing, world.media_file(order_id, "audio.wav"), portrait, higgsfield,
                                   tmp_path / "dead-run")
    died = [next(w for w in wanted if w.shared), next(w for w in wanted if not w.shared)]
    dead = LipsyncLedger(world.table.engine, "other-host/dead-run", stale_seconds=3600)
    with higgsfield.session({}, Attempts(), print) as session:  # what the dead run did before it died
        image_url = session.upload(portrait, "image/jpeg")
        for item in died:
            assert dead.claim(item.key, item.order_id).mine
            dead.save(item.key, session.submit(item.key, image_url, session.upload(item.audio, "audio/wav"),
                                               item.plan.duration))
    paid_before = set(clips.jobs)

    result = run_clip(world, order_id)
    assert result.success
    made = world.metadata(result, "clip")
    assert (made["strategy"], made["resumed_request"]) == ("lipsync", True)
    assert clips.count("submit") == len(wanted), "every segment submitted once, over both runs"
    assert made["lipsync_generations"] == len(wanted) - len(died)
    assert made["lipsync_segments_reused"] == sum(len(item.plan.pieces) for item in died)
    assert paid_before <= set(made["provider_request_id"].split(", "))
    assert all_rows(world) == []


def test_a_failure_midway_keeps_the_clips_made_and_the_template_serves(world, fakes):
    _, clips = fakes
    first, second = world.add_order(strategy="lipsync"), world.add_order(strategy="lipsync", child_name="Noah")
    shared, personal = planned(publish_speech(world, first, "Emma"))
    publish_speech(world, second, "Noah")
    clips.cdn.fail("video", Fault(0), times=1)  # the first clip arrives, then the CDN serves a page
    clips.cdn.fail("video", "html", times=None)

    result = run_clip(world, first)
    assert result.success
    made = world.metadata(result, "clip")
    assert (made["strategy"], made["skipped"]) == ("template", "lipsync: the downloaded file is not a playable video")
    assert (made["lipsync_generations"], made["lipsync_coverage"]) == (1, 0.0)
    assert clips.count("submit") == 3, "the generations in flight when the failure came"
    assert len(list((load_settings().data_dir / "shared" / "lipsync").glob("*.mp4"))) == 1
    (stored,) = [job for job in clips.jobs if job not in {row.request_id for row in all_rows(world)}]
    assert len(all_rows(world)) == 2 and clips.jobs[stored].status == "completed", "made, not yet fetched: kept"

    clips.cdn.clear_faults()
    result = run_clip(world, second)
    assert result.success
    again = world.metadata(result, "clip")
    assert (again["strategy"], again["lipsync_coverage"]) == ("lipsync", 1.0)
    assert clips.count("submit") == shared + personal, "what the first order paid for serves the second"
    assert (again["lipsync_generations"], again["lipsync_segments_reused"]) == (shared - 3 + personal, 3)


def test_two_runs_needing_the_same_new_shared_segments_at_once_pay_for_them_once(world, fakes, tmp_path):
    _, clips = fakes
    clips.max_concurrent = 6  # room for both runs' generations in flight: the quota is tested elsewhere
    orders = [world.add_order(strategy="lipsync", child_name=name) for name in ("Emma", "Noah")]
    timings = {order_id: publish_speech(world, order_id, name) for order_id, name in zip(orders, ("Emma", "Noah"))}
    shared, personal = planned(timings[orders[0]])
    higgsfield = HiggsfieldClips(api_key=clips.api_key, base_url=clips.url, poll_first_seconds=0.05,
                                 poll_max_seconds=0.1, retry_base_seconds=0.05)
    portrait = ensure_portrait(load_settings().media_dir / "scene")
    costs = {order_id: LipsyncCosts() for order_id in orders}
    together = threading.Barrier(len(orders))

    def render(order_id: str) -> int:
        ledger = LipsyncLedger(world.table.engine, f"host/run-of-{order_id}")
        together.wait()
        out = render_lipsync(higgsfield, order_id, timings[order_id], world.media_file(order_id, "audio.wav"),
                             portrait, tmp_path / order_id / "clip.mp4", tmp_path / order_id / "work", media_store(),
                             ledger, {}, costs[order_id], lambda _: None, timeout=120)
        return clip_frames(out)

    with ThreadPoolExecutor(len(orders)) as pool:
        frames = list(pool.map(render, orders))
    assert frames == [round(timings[order_id]["duration"] * FPS) for order_id in orders]
    assert clips.count("submit") == shared + 2 * personal, "each shared segment paid for once"
    assert sum(c.generations for c in costs.values()) == shared + 2 * personal
    assert sum(c.reused for c in costs.values()) == shared
    assert all(c.coverage == 1.0 for c in costs.values()) and all_rows(world) == []


def test_pieces_are_held_and_padded_where_their_clip_is_short(tmp_path):
    source = tmp_path / "ramp.mp4"  # 2 s at 30 fps, 320x240, each frame a little brighter than the one before
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "color=black:s=320x240:r=30:d=2,format=gray,geq=lum='20+N*3'", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", str(source)], check=True, timeout=60)
    pieces = (Piece(first=0, frames=40, hold=10), Piece(first=40, frames=60, offset=25))
    out = assemble_clip([SourceClip(source, clip_frames(source), pieces)], 100, tmp_path / "clip.mp4", timeout=120)
    brightness, fps = brightness_per_frame(out)
    assert (len(brightness), fps, clip_frames(out)) == (100, FPS, 100)
    assert ffprobe(out)["streams"][0]["width"] == 1280 and len(ffprobe(out)["streams"]) == 1, "no sound"
    held, played, padded = brightness[:11], brightness[11:40], brightness[65:]
    assert max(held) - min(held) < 2, "the first frame held for the lead-in"
    assert all(b > a for a, b in zip(played, played[1:])), "then the clip plays"
    assert abs(brightness[40] - brightness[10 + 25]) < 2, "the second piece starts at its offset in the clip"
    assert max(padded) - min(padded) < 2 and padded[0] >= max(brightness[40:65]) - 1, "its last frame is held"


def test_a_sentence_said_twice_and_a_piece_held_at_both_ends_keep_the_clip_to_the_frame(tmp_path):
    source = tmp_path / "ramp.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "color=black:s=320x240:r=25:d=10,format=gray,geq=lum='20+N'", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", str(source)], check=True, timeout=60)
    # The name in the greeting and the goodbye (the same frames read twice) around the parent's words, and a
    # piece with a lead-in held before and a pause held after: the order's own pack as the planner makes it.
    pieces = (Piece(first=0, frames=50, hold=10, take=30), Piece(first=50, frames=43, offset=30, take=42),
              Piece(first=93, frames=122, offset=72, take=120), Piece(first=215, frames=62, offset=30, take=42))
    out = assemble_clip([SourceClip(source, clip_frames(source), pieces)], 277, tmp_path / "clip.mp4", timeout=120)
    brightness, _fps = brightness_per_frame(out)
    assert clip_frames(out) == len(brightness) == 277
    assert abs(brightness[50] - brightness[215]) < 2 and abs(brightness[91] - brightness[256]) < 2, "said twice alike"
    assert max(brightness[:11]) - min(brightness[:11]) < 2 and max(brightness[40:50]) - min(brightness[40:50]) < 2


def test_shared_clips_are_kept_for_every_machine_and_no_orders_removal_touches_them(store_env, tmp_path):
    here = media_store()
    there = media_store(replace(load_storage_settings(), work_dir=tmp_path / "machine-b"))
    (tmp_path / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(1000))
    location = here.publish_shared("lipsync/abc.mp4", tmp_path / "clip.mp4")
    assert location.endswith("shared/lipsync/abc.mp4")
    here.publish_bytes("ord_1", "lipsync/def.mp4", b"own")
    here.remove_order_files("ord_1")
    fetched = there.fetch_shared("lipsync/abc.mp4", tmp_path / "into")
    assert fetched.read_bytes()[4:8] == b"ftyp" and there.fetch_shared("lipsync/none.mp4", tmp_path / "into") is None
    assert here.fetch("ord_1", "lipsync/def.mp4", tmp_path / "into") is None
    if store_env:
        assert store_env.objects() == ["shared/lipsync/abc.mp4"]
