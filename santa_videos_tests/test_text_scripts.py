"""Every script a name or mention may be written in is drawn with real glyphs: no character falls back to a font's
missing-glyph box, right-to-left names read right to left, shaped scripts are shaped, emoji are in colour, and
what no installed font has is named rather than drawn as a box.

A character drawn as a box is a character its font does not map: each cluster of each run is checked in the font's
character map (fontTools) and its picture is compared with the picture of that font's missing glyph (.notdef).
"""

import math

import pytest
from PIL import Image, ImageDraw, ImageFont, features

from santa_videos.media.captions import CAPTION_STYLE, render_title
from santa_videos.media.fonts import clusters, coverage, pil_font, undrawable
from santa_videos.media.typeset import Style, draw_line, layout

pytestmark = pytest.mark.unit

NAMES = {
    "Latin with diacritics": "Zoë O'Brien-Núñez",
    "Vietnamese": "Nguyễn Thị Ánh",
    "Polish and Danish": "Łukasz Żółć Ærø",
    "Greek": "Αλέξανδρος",
    "Cyrillic": "Дмитрий",
    "Arabic": "محمد علي",
    "Hebrew": "דוד כהן",
    "Devanagari": "प्रिया",
    "Chinese": "李小龙",
    "Japanese": "やまだ たろう",
    "Korean": "김민준",
    "Thai": "สมชาย",
    "Bengali": "অর্জুন",
    "Tamil": "ஆதித்யா",
    "Georgian": "ქეთევან",
    "Armenian": "Արամ",
    "Ethiopic": "ሰላም",
}
NOT_IN_ANY_FONT = "\U000F0000"  # supplementary private use: no font maps it, so it draws each font's .notdef


def glyph_picture(text: str, face, size: int = 40) -> bytes:
    font = pil_font(face, size)
    image = Image.new("L", (8 * size, 3 * size))
    ImageDraw.Draw(image).text((size, 2 * size), text, font=font, fill=255, anchor="ls")
    return image.tobytes()


def drawn_clusters(text: str):
    for line in layout(text, CAPTION_STYLE, 1100):
        for run in line:
            for cluster in clusters(run.text):
                yield cluster, run.face


@pytest.mark.parametrize("script", NAMES)
def test_each_script_is_drawn_with_real_glyphs_never_a_box(script):
    text = f"Merry Christmas, {NAMES[script]}!"
    assert features.check("raqm"), "Pillow must shape text with raqm (HarfBuzz, FriBidi)"
    seen = []
    for cluster, face in drawn_clusters(text):
        seen.append(cluster)
        if cluster.isspace() or face.color:
            continue
        assert {ord(c) for c in cluster} <= coverage(face), f"{cluster!r} is not in {face.path.name}"
        notdef = glyph_picture(NOT_IN_ANY_FONT, face)
        drawn = glyph_picture(cluster, face)
        assert drawn != notdef, f"{cluster!r} drew {face.path.name}'s missing-glyph box"
        assert any(drawn), f"{cluster!r} drew nothing"
    assert sorted("".join(seen).replace(" ", "")) == sorted(text.replace(" ", "")), "a character went missing"


def test_the_box_check_would_see_a_box():
    """Guards the test above: a character the font lacks does draw its .notdef picture."""
    (run,) = layout("Emma", CAPTION_STYLE, math.inf)[0]
    assert glyph_picture("\U000F0001", run.face) == glyph_picture(NOT_IN_ANY_FONT, run.face)


def test_a_right_to_left_name_stands_right_to_left_inside_a_left_to_right_sentence():
    (line,) = layout("Hello, דוד כהן!", CAPTION_STYLE, math.inf)
    assert [run.text for run in line] == ["Hello, ", "דוד כהן", "!"]
    assert line[1].rtl and not line[0].rtl
    (alone,) = layout("محمد علي", CAPTION_STYLE, math.inf)
    assert all(run.rtl for run in alone)


def test_shaped_scripts_are_shaped_not_set_letter_by_letter():
    """Arabic letters join and Devanagari forms conjuncts only through shaping: the picture differs from the same
    letters set one after another without it (Pillow's basic layout)."""
    for word in ("محمد", "प्रिया"):
        (line,) = layout(word, CAPTION_STYLE, math.inf)
        (run,) = line
        shaped = Image.new("RGBA", (400, 120))
        draw_line(shaped, line, 10, 80, Style(CAPTION_STYLE.size))
        unshaped = Image.new("RGBA", (400, 120))
        basic = ImageFont.truetype(str(run.face.path), CAPTION_STYLE.size, layout_engine=ImageFont.Layout.BASIC)
        ImageDraw.Draw(unshaped).text((10, 80), word, font=basic, fill=(255, 255, 255, 255), anchor="ls")
        assert shaped.tobytes() != unshaped.tobytes(), word


def test_emoji_are_drawn_in_colour(tmp_path):
    title = render_title("🦄 🎄", tmp_path / "title.png")
    with Image.open(title) as image:
        colours = image.convert("RGB").getcolors(maxcolors=100_000)
    saturated = sum(count for count, (r, g, b) in colours if max(r, g, b) - min(r, g, b) > 80)
    assert saturated > 200, "the emoji came out without colour"
    faces = {face.path.name for _, face in drawn_clusters("you love 🦄 and 🎄 👍🏽")}
    assert "NotoColorEmoji.ttf" in faces


def test_what_no_font_has_is_named_not_drawn():
    assert undrawable("Emma") == [] and undrawable(NAMES["Chinese"]) == []
    assert undrawable("Ana \U0002A700") == ["\U0002A700"]  # a CJK Extension C ideograph Noto does not have


def test_a_long_name_is_shrunk_to_fit_the_title(tmp_path):
    name = "Maximiliana Alexandrina Wolfeschlegelstein"
    with Image.open(render_title(name, tmp_path / "title.png")) as image:
        assert image.width <= 1200 + 2 * Style(58, stroke_width=3).stroke_width
    drawn = layout(name, CAPTION_STYLE, math.inf)[0]
    assert "".join(run.text for run in drawn) == name
