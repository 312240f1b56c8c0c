"""Files appear whole or not at all: everything is written under a temporary name and renamed into place."""

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TEMP_MARKER = ".partial-"


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside `final`; on success it is renamed to `final`, on any error it is removed.

    The temporary name keeps the extension so tools that pick a format from it (FFmpeg) still do.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.with_name(f"{TEMP_MARKER}{uuid.uuid4().hex[:12]}-{final.name}")
    try:
        yield temp
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)


def write_text(final: Path, text: str) -> Path:
    with atomic_path(final) as temp:
        temp.write_text(text, encoding="utf-8")
    return final


def write_json(final: Path, value: Any) -> Path:
    return write_text(final, json.dumps(value, ensure_ascii=False, indent=2))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def publish_copy(source: Path, final: Path) -> Path:
    """Copy `source` to `final` atomically (a hard link when on the same file system)."""
    with atomic_path(final) as temp:
        try:
            os.link(source, temp)
        except OSError:
            shutil.copyfile(source, temp)
    return final
