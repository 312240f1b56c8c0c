"""Environment variables set for a block of the bench and put back as they were after it."""

import os
from contextlib import contextmanager


@contextmanager
def environment(values: dict[str, str], removed: tuple[str, ...] = ()):
    names = [*values, *removed]
    saved = {name: os.environ.get(name) for name in names}
    for name in removed:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
