"""User text is drawn exactly as typed: never expanded by drawtext, never cut at a colon, quote or backslash.

The text is drawn over a plain black clip and the width of what was drawn is compared with the width the same
font gives the literal text (Pillow measures with FreeType too). Expanded `%{...}` or text cut at a colon would
draw something of another width; expanded `%{pts}` would also change from frame to frame.
"""

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from santa_videos.media.compose import FONT, EncodeSettings, compose_video, write_caption_files
from santa_videos.media.speech import Cue
from santa_videos_tests.conftest import AWKWARD_MENTION, AWKWARD_NAME

pytestmark = pytest.mark.unit

TITLE_SIZE, CUE_SIZE, CUE_BOX_BORDER = 58, 38, 14


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
    cues = [Cue(start=0.0, end=3.0, text=caption)]
    title_file, cue_files = write_caption_files(title, cues, folder / "text")
    out = folder / "captioned.mp4"
    compose_video(clip, audio, 3.0, title_file, cues, cue_files, out, EncodeSettings(preset="ultrafast"))
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

    title_expected = ImageFont.truetype(str(FONT), TITLE_SIZE).getlength(AWKWARD_NAME)
    assert drawn_width(early, 20, 140) == pytest.approx(title_expected, rel=0.05)

    lines = (folder / "text" / "cue-00.txt").read_text(encoding="utf-8").split("\n")
    assert " ".join(lines) == caption
    widest = max(ImageFont.truetype(str(FONT), CUE_SIZE).getlength(line) for line in lines)
    assert drawn_width(early, 480, 720) == pytest.approx(widest + 2 * CUE_BOX_BORDER, rel=0.05)


def test_the_width_check_would_see_a_cut_text(black_inputs):
    """Guards the test above: text cut at the colon draws measurably narrower than the whole text."""
    folder, clip, audio = black_inputs
    whole = ImageFont.truetype(str(FONT), TITLE_SIZE).getlength(AWKWARD_MENTION[:40])
    video = render(folder, clip, audio, AWKWARD_MENTION.split(":")[0], "x")
    assert drawn_width(frame(video, 0.5), 20, 140) < whole * 0.5
