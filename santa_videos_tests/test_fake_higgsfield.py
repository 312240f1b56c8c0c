"""The fake Higgsfield keeps Speak's limits (durations of 5, 10 or 15 s, at most that much WAV audio, media uploaded
to its CDN) and charges completed generations only; its clips last `duration` and show their sound's loudness, which
media_sync measures back from a composed video."""

import io
import math
import subprocess
import wave
from array import array
from pathlib import Path

import httpx
import pytest
from PIL import Image

from santa_videos_tests.fakes import FakeHiggsfield, media
from santa_videos_tests.media_checks import ffprobe
from santa_videos_tests.media_sync import (
    brightness_per_frame, loudness_spread_lu, pearson, picture_follows_sound,
)

RATE = 48000
SPEECH = [
    "Ho ho ho! Hello, Emma, and a very merry Christmas to you from the North Pole.",
    "The elves have been busy all year, and the reindeer are ready for the long night.",
    "I heard that you fed the birds every morning, even when it snowed.",
    "That was very kind of you, and Mrs Claus was proud to hear it.",
    "Be good, go to bed early on Christmas Eve, and I will see you soon!",
]


def tone(seconds: float, amplitude: float = 0.5, silence_after: float = 0.0) -> bytes:
    """A 480 Hz sine (100 samples a period) as a 48 kHz mono 16-bit WAV, then `silence_after` seconds of silence."""
    period = array("h", (round(amplitude * 32767 * math.sin(2 * math.pi * n / 100)) for n in range(100)))
    samples = (period * math.ceil(seconds * RATE / 100))[:round(seconds * RATE)]
    samples.extend(array("h", bytes(2 * round(silence_after * RATE))))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def portrait() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (190, 30, 40)).save(out, "JPEG")
    return out.getvalue()


def auth(fake: FakeHiggsfield) -> dict:
    return {"Authorization": f"Key {fake.api_key}"}


def upload(fake: FakeHiggsfield, data: bytes, content_type: str) -> str:
    target = httpx.post(f"{fake.url}/files/generate-upload-url", json={"content_type": content_type},
                        headers=auth(fake)).json()
    httpx.put(target["upload_url"], content=data, headers=target["upload_headers"]).raise_for_status()
    return target["public_url"]


def submit(fake: FakeHiggsfield, audio: bytes, **fields) -> httpx.Response:
    body = {"image_url": upload(fake, portrait(), "image/jpeg"), "audio_url": upload(fake, audio, "audio/wav"),
            "prompt": "Santa Claus speaks warmly to the camera", "quality": "high", "enhance_prompt": False, "seed": 7,
            **fields}
    return httpx.post(f"{fake.url}/higgsfield-ai/speak", json=body, headers=auth(fake))


def finish(fake: FakeHiggsfield, request_id: str) -> dict:
    for _ in range(10):
        status = httpx.get(f"{fake.url}/requests/{request_id}/status", headers=auth(fake)).json()
        if status["status"] not in ("queued", "in_progress"):
            return status
    raise AssertionError(f"generation {request_id} still {status['status']}")


def generate(fake: FakeHiggsfield, audio: bytes, duration: int, out: Path) -> Path:
    submitted = submit(fake, audio, duration=duration)
    assert submitted.status_code == 200, submitted.text
    video = finish(fake, submitted.json()["request_id"])["video"]["url"]
    out.write_bytes(httpx.get(video).raise_for_status().content)
    return out


def refusal(response: httpx.Response) -> tuple[list, str]:
    assert response.status_code == 422, response.text
    (item,) = response.json()["detail"]
    return item["loc"], item["msg"]


@pytest.fixture
def higgsfield():
    with FakeHiggsfield(queued_polls=0, running_polls=0) as fake:
        yield fake


# --- Speak's limits -----------------------------------------------------------------------------------------------

@pytest.mark.unit
@pytest.mark.parametrize("duration", [20, 7, 0, "10", 10.0, True, None])
def test_a_duration_other_than_5_10_or_15_seconds_is_refused_and_starts_nothing(higgsfield, duration):
    loc, message = refusal(submit(higgsfield, tone(2), duration=duration))
    assert loc == ["body", "duration"] and "5, 10 or 15" in message
    assert higgsfield.jobs == {}


@pytest.mark.unit
def test_audio_longer_than_15_seconds_is_refused(higgsfield):
    loc, message = refusal(submit(higgsfield, tone(16), duration=15))
    assert loc == ["body", "audio_url"] and message == "audio must be at most 15 seconds, got 16.0"
    assert higgsfield.jobs == {}


@pytest.mark.unit
def test_audio_longer_than_the_requested_duration_is_refused_and_no_duration_means_5(higgsfield):
    loc, message = refusal(submit(higgsfield, tone(5.5), duration=5))
    assert loc == ["body", "audio_url"] and "longer than the requested duration 5" in message
    assert refusal(submit(higgsfield, tone(5.5)))[0] == ["body", "audio_url"]
    accepted = submit(higgsfield, tone(5.0))
    assert accepted.status_code == 200 and higgsfield.jobs[accepted.json()["request_id"]].duration == 5


@pytest.mark.unit
def test_media_must_be_uploads_of_its_cdn_and_the_audio_a_wav(higgsfield):
    foreign = submit(higgsfield, tone(2), audio_url="https://cdn.example.com/speech.wav")
    assert refusal(foreign)[0] == ["body", "audio_url"]
    never_uploaded = submit(higgsfield, tone(2), image_url=f"{higgsfield.cdn.url}/uploads/0000.jpeg")
    assert refusal(never_uploaded)[0] == ["body", "image_url"]
    mp3 = media.speech("Ho ho ho", "mp3_44100_128")[0]
    loc, message = refusal(submit(higgsfield, mp3))
    assert loc == ["body", "audio_url"] and message.startswith("audio must be a WAV file")
    assert higgsfield.jobs == {}


@pytest.mark.unit
def test_a_valid_submission_still_meets_the_concurrency_limit_without_retry_after(higgsfield):
    higgsfield.max_concurrent = 1
    assert submit(higgsfield, tone(2)).status_code == 200
    refused = submit(higgsfield, tone(2))
    assert refused.status_code == 400 and "concurrent requests (1)" in refused.json()["detail"]
    assert "retry-after" not in refused.headers and refused.headers["x-correlation-id"]


@pytest.mark.unit
def test_only_completed_generations_are_billed(higgsfield):
    paid = submit(higgsfield, tone(8), duration=10).json()["request_id"]
    canceled = submit(higgsfield, tone(3), duration=15).json()["request_id"]
    assert httpx.post(f"{higgsfield.url}/requests/{canceled}/cancel", headers=auth(higgsfield)).status_code == 202
    higgsfield.outcome = "failed"
    failed = submit(higgsfield, tone(3), duration=5).json()["request_id"]
    higgsfield.outcome = "nsfw"
    rejected = submit(higgsfield, tone(12), duration=15).json()["request_id"]
    outcomes = [finish(higgsfield, request_id)["status"] for request_id in (paid, canceled, failed, rejected)]
    assert outcomes == ["completed", "canceled", "failed", "nsfw"]
    assert (higgsfield.billed_seconds(), higgsfield.generations()) == (10, 1)
    assert higgsfield.jobs[paid].audio_seconds == 8.0


# --- what a generation delivers -----------------------------------------------------------------------------------

@pytest.mark.integration
@pytest.mark.parametrize("duration", [5, 15])
def test_a_clip_lasts_its_duration_and_is_as_bright_as_its_audio_is_loud(higgsfield, tmp_path, duration):
    clip = generate(higgsfield, tone(3, amplitude=0.5, silence_after=1), duration, tmp_path / "clip.mp4")
    streams = {stream["codec_type"]: stream for stream in ffprobe(clip)["streams"]}
    video, audio = streams["video"], streams["audio"]
    assert (video["codec_name"], video["width"], video["height"], video["pix_fmt"]) == ("h264", 640, 360, "yuv420p")
    assert video["r_frame_rate"] == "25/1" and int(video["nb_frames"]) == 25 * duration
    assert audio["codec_name"] == "aac" and abs(float(audio["duration"]) - duration) < 0.05
    assert abs(float(ffprobe(clip)["format"]["duration"]) - duration) < 0.05

    brightness, _ = brightness_per_frame(clip)
    sine_rms_db = 20 * math.log10(0.5 / math.sqrt(2))
    assert abs(brightness[40] - media.level_gray(sine_rms_db)) < 8, "1.6 s: the tone"
    assert max(brightness[3 * 25:]) < 24, "the silence after the tone, and the padding up to the duration"


@pytest.mark.integration
def test_a_clip_shows_a_level_bar_that_rises_with_the_sound(higgsfield, tmp_path):
    clip = generate(higgsfield, tone(1, amplitude=0.9, silence_after=1), 5, tmp_path / "clip.mp4")
    column = media.BAR_LEFT + media.BAR_WIDTH // 2
    frames = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-vf", f"format=gray,crop=1:360:{column}:0",
                             "-f", "rawvideo", "pipe:1"], check=True, capture_output=True, timeout=60).stdout
    loud, silent = frames[12 * 360:13 * 360], frames[37 * 360:38 * 360]
    lit = lambda pixels: sum(1 for value in pixels if value > 128)  # noqa: E731
    assert lit(silent) == 0 and 300 < lit(loud) < 360, (lit(loud), lit(silent))


# --- media_sync on composed videos --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """About 20 s of espeak-ng sentences (48 kHz mono WAV), the fake's clips of its <= 15 s segments, and a 5 s clip."""
    folder = tmp_path_factory.mktemp("sync")
    wav, seconds = media.speech(" ".join(SPEECH), "wav_48000")
    assert 17 < seconds < 30, seconds
    whole = folder / "speech.wav"
    whole.write_bytes(wav)
    with FakeHiggsfield(queued_polls=0, running_polls=0) as fake:
        clips = []
        for index, start in enumerate(range(0, math.ceil(seconds), 15)):
            part = cut(whole, start, min(15, seconds - start), folder / f"part-{index}.wav")
            length = media.wav_seconds(part.read_bytes())
            duration = next(d for d in (5, 10, 15) if d >= length)
            clips.append((generate(fake, part.read_bytes(), duration, folder / f"clip-{index}.mp4"), length))
        first_five = generate(fake, cut(whole, 0, 5, folder / "first-5s.wav").read_bytes(), 5, folder / "clip-5s.mp4")
    return folder, whole, seconds, clips, first_five


def cut(wav: Path, start: float, seconds: float, out: Path) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", str(start), "-t", f"{seconds:.6f}", "-i", str(wav),
                    "-c:a", "pcm_s16le", str(out)], check=True, timeout=60)
    return out


def deliver(clips: list[tuple[Path, float]], sound: Path, seconds: float, out: Path, loop: bool = False,
            sound_delay: float = 0.0) -> Path:
    """The clips one after the other (each cut to its segment), scaled to 1280x720 under a title band and a caption
    box, with `sound` made loud as a delivery is, in AAC 48 kHz stereo: the shape of a delivered video."""
    inputs, chains = [], []
    for index, (clip, length) in enumerate(clips):
        inputs += (["-stream_loop", "-1"] if loop else []) + ["-i", str(clip)]
        chains.append(f"[{index}:v]trim=duration={length:.6f},setpts=PTS-STARTPTS[v{index}]")
    joined = "".join(f"[v{index}]" for index in range(len(clips)))
    delay = round(sound_delay * 1000)
    graph = ";".join(chains + [
        f"{joined}concat=n={len(clips)}:v=1:a=0,scale=1280:720:flags=lanczos,"
        "drawbox=x=340:y=22:w=600:h=90:color=white@0.9:t=fill,drawbox=x=200:y=560:w=880:h=120:color=black@0.45:t=fill,"
        "format=yuv420p[video]",
        f"[{len(clips)}:a]adelay={delay}:all=1,loudnorm=i=-16:tp=-1.5:lra=11,aresample=48000[sound]",
    ])
    subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-i", str(sound), "-filter_complex", graph,
                    "-map", "[video]", "-map", "[sound]", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    "-ar", "48000", "-ac", "2", "-t", f"{seconds:.3f}", "-movflags", "+faststart", str(out)],
                   check=True, timeout=300)
    return out


@pytest.mark.integration
def test_a_video_made_of_the_clips_of_its_own_speech_follows_it(speech):
    folder, whole, seconds, clips, _ = speech
    video = deliver(clips, whole, seconds, folder / "in-step.mp4")
    streams = {stream["codec_type"]: stream for stream in ffprobe(video)["streams"]}
    assert (streams["video"]["width"], streams["audio"]["channels"]) == (1280, 2)
    assert picture_follows_sound(video) >= 0.9


@pytest.mark.integration
def test_a_looped_short_clip_under_the_whole_speech_does_not_follow_it(speech):
    folder, whole, seconds, _, first_five = speech
    video = deliver([(first_five, seconds)], whole, seconds, folder / "looped.mp4", loop=True)
    assert picture_follows_sound(video) < 0.5


@pytest.mark.integration
def test_the_right_clips_half_a_second_late_do_not_follow_the_speech(speech):
    folder, whole, seconds, clips, _ = speech
    video = deliver(clips, whole, seconds, folder / "late.mp4", sound_delay=0.5)
    assert picture_follows_sound(video) < 0.5


@pytest.mark.unit
def test_a_constant_picture_follows_nothing():
    assert pearson([1, 2, 3, 4], [2, 4, 6, 8]) == pytest.approx(1.0)
    assert pearson([1, 2, 3, 4], [8, 6, 4, 2]) == pytest.approx(-1.0)
    assert pearson([5, 5, 5, 5], [1, 3, 2, 4]) == 0.0


@pytest.mark.integration
def test_loudness_spread_of_the_same_speech_6_db_apart_is_6_lu(tmp_path):
    loud = tmp_path / "loud.wav"
    loud.write_bytes(media.speech(SPEECH[0], "wav_48000")[0])
    quiet = tmp_path / "quiet.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(loud), "-af", "volume=-6dB", "-c:a", "pcm_s16le", str(quiet)],
                   check=True, timeout=60)
    assert loudness_spread_lu([loud, quiet]) == pytest.approx(6.0, abs=0.5)
    assert loudness_spread_lu([loud, loud]) == 0.0
