"""Santa talks: in a rendered video his mouth opens while he speaks and stays closed in the pauses, wherever his
motion has taken him; his eyes close now and then. Rendered from a few seconds of real espeak-ng speech cut from
the real template loops, composed as the video step composes it."""

import subprocess

import pytest
from PIL import Image

from santa_videos.media.clip import render_still_clip
from santa_videos.media.clip_library import cut_template_clip, first_loop
from santa_videos.media.compose import EncodeSettings, VideoParts, compose_video
from santa_videos.media.face import FPS, blink_frames, mouth_openings
from santa_videos.media.motion import chain_motion
from santa_videos.media.scene import EYE_CENTERS, INSIDE, SANTA_ORIGIN
from santa_videos.media.speech import LEAD_IN_SECONDS, synthesize

pytestmark = pytest.mark.integration

ORDER_ID = "ord_01talkingsanta0000000000000"
MOUTH = (210, 252)  # the middle of his open mouth, in his picture
SPEECH = "Ho ho ho! Hello, Emma! Merry Christmas to you!"


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    folder = tmp_path_factory.mktemp("talking")
    spoken = synthesize([(SPEECH, SPEECH)], "en", folder / "audio.wav", folder / "speech")
    return folder, spoken


def frames(video, times: list[float]) -> list[Image.Image]:
    pictures = []
    for seconds in times:
        png = video.with_name(f"frame-{seconds:.2f}.png")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", f"{seconds:.3f}", "-i", str(video), "-frames:v", "1",
                        str(png)], check=True, timeout=60)
        pictures.append(Image.open(png).convert("RGB"))
    return pictures


def dark_mouth_pixels(frame: Image.Image, center: tuple[float, float]) -> int:
    """Pixels of the inside of an open mouth (dark red) in a box around where the mouth is."""
    x, y = round(center[0]), round(center[1])
    box = frame.crop((x - 30, y - 30, x + 30, y + 30))
    return sum(n for n, (r, g, b) in box.getcolors(box.width * box.height) if abs(r - INSIDE[0]) < 45 and g < 70 and b < 80)


def test_the_mouth_opens_with_the_speech_and_closes_in_the_pauses(speech):
    folder, spoken = speech
    clip = cut_template_clip(ORDER_ID, spoken.duration, folder / "clip.mp4", folder / "scene", folder / "cut", 120)
    video = folder / "video.mp4"
    parts = VideoParts(ORDER_ID, clip, spoken.path, spoken.duration, spoken.cues, "Emma", "en")
    composed = compose_video(parts, video, folder / "work", folder / "scene", EncodeSettings(preset="ultrafast"))
    assert composed.face_laid

    (cue,) = spoken.cues
    silent = [0.08, 0.2, 0.32, 0.44, cue.end + 0.3, cue.end + 0.5, cue.end + 0.7]
    spoken_times = [cue.start + 0.12 * n for n in range(int((cue.end - cue.start) / 0.12))]
    first = first_loop(ORDER_ID)

    def mouth_at(t: float) -> tuple[float, float]:
        return chain_motion(first, t).point_at(MOUTH, t)

    quiet = [dark_mouth_pixels(f, mouth_at(t)) for f, t in zip(frames(video, silent), silent)]
    talking = [dark_mouth_pixels(f, mouth_at(t)) for f, t in zip(frames(video, spoken_times), spoken_times)]
    assert max(quiet) < 120, f"the mouth is open in a pause: {quiet}"
    opened = [count for count in talking if count > 250]
    assert len(opened) >= len(talking) // 4, f"the mouth hardly opens while he speaks: {talking}"
    assert min(talking) < max(talking) / 2, f"the mouth does not move with the syllables: {talking}"


def test_the_mouth_follows_the_loudness_and_the_eyes_blink(speech):
    _, spoken = speech
    openings = mouth_openings(spoken.path)
    lead_in = int(LEAD_IN_SECONDS * FPS)
    assert set(openings[:lead_in - 2]) == {0}, "closed before the first word"
    assert set(openings[-int(0.8 * FPS):]) == {0}, "closed after the last word"
    assert {1, 2} <= set(openings[lead_in:-int(0.8 * FPS)])
    blinks = blink_frames(ORDER_ID, 30 * FPS)
    assert blinks == blink_frames(ORDER_ID, 30 * FPS), "the same order blinks the same way when rendered again"
    assert 5 <= len(blinks) / 3 <= 15, "about one blink every two to five seconds"
    assert blinks != blink_frames("ord_01anothersibling00000000000", 30 * FPS)


def dark_eye_pixels(frame: Image.Image, center: tuple[float, float]) -> int:
    x, y = round(center[0]), round(center[1])
    box = frame.crop((x - 14, y - 14, x + 14, y + 14))
    return sum(n for n, colour in box.getcolors(box.width * box.height) if max(colour) < 90)


def test_a_still_clip_talks_and_blinks_too(speech):
    folder, spoken = speech
    clip = render_still_clip(ORDER_ID, spoken.path, spoken.duration, folder / "still.mp4", folder / "scene",
                             folder / "still-work", 120, 0)

    def on_screen(point: tuple[float, float], t: float) -> tuple[float, float]:
        # The still zooms in on the frame's centre, a little more each frame.
        zoom = min(1 + 0.0008 * round(t * FPS), 1.15)
        x, y = SANTA_ORIGIN[0] + point[0], SANTA_ORIGIN[1] + point[1]
        return 640 + (x - 640) * zoom, 360 + (y - 360) * zoom

    (cue,) = spoken.cues
    talking_times = [cue.start + 0.12 * n for n in range(12)]
    (silent,) = frames(clip, [0.2])
    talking = [dark_mouth_pixels(f, on_screen(MOUTH, t)) for f, t in zip(frames(clip, talking_times), talking_times)]
    assert dark_mouth_pixels(silent, on_screen(MOUTH, 0.2)) < 120
    assert max(talking) > 250, talking

    blink = min(blink_frames(ORDER_ID, int(spoken.duration * FPS))) + 1
    open_time, blink_time = (blink - 10) / FPS, blink / FPS
    eyes_open, eyes_shut = frames(clip, [open_time, blink_time])
    eye = EYE_CENTERS[0]
    assert dark_eye_pixels(eyes_open, on_screen(eye, open_time)) > 200
    assert dark_eye_pixels(eyes_shut, on_screen(eye, blink_time)) < 120
