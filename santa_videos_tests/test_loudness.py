"""Every sentence is brought to one loudness: quiet and loud takes come out level, and a gain never wraps around."""

import array
import subprocess
import wave

import pytest

from santa_videos.media.loudness import MAX_GAIN_DB, TARGET_LUFS, apply_gain, level_sentence
from santa_videos.media.speech import SAMPLE_RATE
from santa_videos_tests.media_sync import integrated_loudness_lufs

pytestmark = pytest.mark.unit


def write_wav(path, samples: list[int]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(array.array("h", samples).tobytes())


def read_wav(path) -> list[int]:
    with wave.open(str(path)) as source:
        assert (source.getnchannels(), source.getsampwidth(), source.getframerate()) == (1, 2, SAMPLE_RATE)
        return list(array.array("h", source.readframes(source.getnframes())))


def test_a_gain_scales_every_sample_and_clips_at_full_scale_instead_of_wrapping(tmp_path):
    wav = tmp_path / "take.wav"
    write_wav(wav, [0, 1000, -1000, 20000, -20000, 32767, -32768])
    apply_gain(wav, 20.0)  # ten times
    assert read_wav(wav) == [0, 10000, -10000, 32767, -32768, 32767, -32768]
    apply_gain(wav, -20.0)
    assert read_wav(wav) == pytest.approx([0, 1000, -1000, 3277, -3277, 3277, -3277], abs=1)


@pytest.mark.parametrize("volume", ["0.2", "4"])
def test_a_quiet_and_a_loud_take_both_come_out_at_the_target_loudness(tmp_path, volume):
    raw = tmp_path / "raw.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=frequency=220:duration=3", "-af", f"volume={volume}", "-ar", "22050", str(raw)],
                   check=True, timeout=60)
    levelled = tmp_path / "levelled.wav"
    seconds = level_sentence(["-i", str(raw)], levelled, timeout=60)
    assert seconds == pytest.approx(3.0, abs=0.01)
    assert len(read_wav(levelled)) == round(seconds * SAMPLE_RATE)
    assert integrated_loudness_lufs(levelled) == pytest.approx(TARGET_LUFS, abs=0.5)


def test_a_take_too_quiet_to_reach_the_target_gets_the_largest_gain_only(tmp_path):
    raw = tmp_path / "whisper.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=frequency=220:duration=3", "-af", "volume=0.02", str(raw)], check=True, timeout=60)
    before = integrated_loudness_lufs(raw)
    levelled = tmp_path / "levelled.wav"
    level_sentence(["-i", str(raw)], levelled, timeout=60)
    assert before + MAX_GAIN_DB < TARGET_LUFS
    assert integrated_loudness_lufs(levelled) == pytest.approx(before + MAX_GAIN_DB, abs=1.0)
