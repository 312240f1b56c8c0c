"""User text is drawn exactly as typed: set as a picture, never read by an FFmpeg filter, so `%{...}`, quotes,
colons and backslashes appear literally, whole, and the same in every frame.

The text is drawn over a plain black clip and the width of what the video shows is compared with the width the
typesetter gave the literal text. Text cut at a colon would draw narrower; text expanded by a filter (`%{pts}`)
would change from frame to frame.
"""

import math
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from santa_videos.media.captions import CAPTION_BOX_BORDER, CAPTION_MAX_WIDTH, CAPTION_STYLE, TITLE_STYLE
from santa_videos.media.compose import EncodeSettings, VideoParts, compose_video
from santa_videos.media.speech import Cue
from santa_videos.media.typeset import layout, line_width
from santa_videos_tests.conftest import AWKWARD_MENTION, AWKWARD_NAME

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def black_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("black")
    clip, audio = folder / "black.mp4", folder / "silence.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=black:s=1280x720:r=25:d=3",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", str(clip)], check=True, timeout=60)
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "3",
                    str(audio)], check=True, timeout=60)
    return folder, clip, audio


def render(folder: Path, clip: Path, audio: Path, title: str, caption: str) -> Path:
    parts = VideoParts("ord_captions", clip, audio, 3.0, [Cue(start=0.0, end=3.0, text=caption)], title, "en")
    out = folder / "captioned.mp4"
    compose_video(parts, out, folder / "work", folder / "scene", EncodeSettings(preset="ultrafast"))
    return out


def frame(video: Path, seconds: float) -> Image.Image:
    png = video.with_name(f"frame-{seconds}.png")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", str(seconds), "-i", str(video), "-frames:v", "1", str(png)],
                   check=True, timeout=60)
    return Image.open(png).convert("L")


def drawn_width(image: Image.Image, top: int, bottom: int) -> int:
    band = image.crop((0, top, image.width, bottom)).point(lambda v: 255 if v > 40 else 0)
    box = band.getbbox()
    assert box, "nothing was drawn"
    return box[2] - box[0]


def test_awkward_text_is_drawn_literally_and_whole(black_inputs):
    folder, clip, audio = black_inputs
    caption = AWKWARD_MENTION + " %{pts}"
    video = render(folder, clip, audio, AWKWARD_NAME, caption)
    early, late = frame(video, 0.5), frame(video, 2.5)

    assert early.tobytes() == late.tobytes(), "the text changed over time: it was expanded"

    (title_line,) = layout(AWKWARD_NAME, TITLE_STYLE, math.inf)
    assert "".join(run.text for run in title_line) == AWKWARD_NAME
    assert drawn_width(early, 10, 140) == pytest.approx(line_width(title_line), rel=0.05)

    lines = layout(caption, CAPTION_STYLE, CAPTION_MAX_WIDTH)
    assert " ".join("".join(run.text for run in line) for line in lines) == caption
    widest = max(line_width(line) for line in lines)
    assert drawn_width(early, 480, 720) == pytest.approx(widest + 2 * (CAPTION_BOX_BORDER + CAPTION_STYLE.stroke_width),
                                                         rel=0.05)


def test_the_width_check_would_see_a_cut_text(black_inputs):
    """Guards the test above: text cut at the colon draws measurably narrower than the whole text."""
    folder, clip, audio = black_inputs
    (whole,) = layout(AWKWARD_MENTION[:40], TITLE_STYLE, math.inf)
    video = render(folder, clip, audio, AWKWARD_MENTION.split(":")[0], "x")
    assert drawn_width(frame(video, 0.5), 10, 140) < line_width(whole) * 0.5
