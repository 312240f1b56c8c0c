"""The API keys never reach a log line, the event log, run config, tags, compute logs, the orders table or an
exception text, on the happy path or when the providers refuse the keys. Everything on disk is grepped."""

from pathlib import Path

import dagster as dg
import pytest

from santa_videos_tests.fakes.pipeline import fakes, template_library, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def files_containing(root: Path, needles: list[bytes]) -> list[str]:
    return [str(path) for path in root.rglob("*") if path.is_file() and any(n in path.read_bytes() for n in needles)]


def test_api_keys_are_found_nowhere(world, fakes, monkeypatch, capfd):
    voice, clips = fakes
    secret_parts = [voice.api_key, clips.api_key, clips.api_key.split(":")[1]]
    delivered = world.add_order(strategy="lipsync")
    assert world.run(delivered).success

    voice.fail("tts", "unauthorized", times=None)
    clips.fail("submit", "unauthorized", times=None)
    assert world.run(world.add_order(strategy="lipsync")).success, "both fall back"
    monkeypatch.setenv("SANTA_SPEECH_PROVIDERS", "elevenlabs")
    # Other words than the first orders', so the audio cache cannot answer for the provider.
    failed = world.run(world.add_order(strategy="lipsync", mentions=["you built the tallest snowman"]))
    assert not failed.success and "the API key was refused" in world.failure(failed, "audio")

    instance = world.instance
    for run in instance.get_runs():
        assert not [s for s in secret_parts if s in repr(run.run_config) or s in repr(run.tags)]
        for record in instance.all_logs(run.run_id):
            text = dg.serialize_value(record)
            assert not [s for s in secret_parts if s in text], text[:300]
    needles = [s.encode() for s in secret_parts]
    assert files_containing(world.root / "home", needles) == [], "instance storage, event logs, compute logs"
    assert files_containing(world.root / "data", needles) == [], "orders table and media"
    out, err = capfd.readouterr()
    assert not [s for s in secret_parts if s in out + err], "nothing printed or logged by the process"
    assert voice.requests("tts")[0].headers["xi-api-key"] == voice.api_key, "the key was really in use"
