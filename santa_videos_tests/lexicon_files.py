"""A shop's name lexicon written for a test and named by SANTA_NAME_LEXICON."""

from pathlib import Path

import pytest


def use_lexicon(folder: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = folder / "names.csv"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SANTA_NAME_LEXICON", str(path))
    return path
