"""Run FFmpeg and ffprobe as child processes with a timeout, and never leave one behind."""

import ctypes
import json
import os
import signal
import subprocess
from pathlib import Path

PR_SET_PDEATHSIG = 1
FFMPEG_BASE_ARGS = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"]


class MediaError(RuntimeError):
    """FFmpeg, ffprobe or espeak-ng failed, timed out, or produced media that does not pass its checks."""


def run_tool(args: list[str], timeout_seconds: float, what: str, stdin_text: str | None = None) -> str:
    """Run a media tool; kill its whole process group on timeout or when the caller is interrupted. Returns its
    standard output."""
    return _run(args, timeout_seconds, what, stdin_text)[0]


def _run(args: list[str], timeout_seconds: float, what: str, stdin_text: str | None = None) -> tuple[str, str]:
    process = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    try:
        stdout, stderr = process.communicate(
            input=stdin_text.encode("utf-8") if stdin_text is not None else None, timeout=timeout_seconds
        )
    except subprocess.TimeoutExpired:
        _kill(process)
        raise MediaError(f"{what} did not finish within {timeout_seconds:.0f} s and was stopped") from None
    except BaseException:
        # A terminated Dagster run raises here (interrupt): the child must die with the step.
        _kill(process)
        raise
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise MediaError(f"{what} failed with exit code {process.returncode}: {' | '.join(detail) or 'no message'}")
    return stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")


def _die_with_parent() -> None:
    # A run worker killed outright (kill -9, the OOM killer) runs no cleanup: the kernel stops its tool instead.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def run_ffmpeg(args: list[str], timeout_seconds: float, what: str) -> None:
    """`args` are FFmpeg's arguments after the program name (as ffmpeg-python's compile() gives them)."""
    run_tool(["ffmpeg", *FFMPEG_BASE_ARGS, *args], timeout_seconds, what)


def run_ffmpeg_for_log(args: list[str], timeout_seconds: float, what: str) -> str:
    """Run FFmpeg at log level info and return its log: what measuring filters (ebur128) report."""
    _, log = _run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", "-y", *args],
                  timeout_seconds, what)
    return log


def probe(path: Path, timeout_seconds: float = 60) -> dict:
    output = run_tool(
        [
            "ffprobe", "-v", "error", "-protocol_whitelist", "file", "-print_format", "json",
            "-show_format", "-show_streams", str(path),
        ],
        timeout_seconds,
        f"ffprobe of {path.name}",
    )
    return json.loads(output)


def top_level_atoms(path: Path) -> list[str]:
    """The MP4 top-level box types in file order (e.g. ftyp, moov, mdat for a fast-start file)."""
    atoms = []
    size_total = path.stat().st_size
    with path.open("rb") as handle:
        offset = 0
        while offset + 8 <= size_total:
            handle.seek(offset)
            header = handle.read(16)
            size = int.from_bytes(header[0:4], "big")
            kind = header[4:8].decode("latin-1")
            if size == 1:
                size = int.from_bytes(header[8:16], "big")
            elif size == 0:
                size = size_total - offset
            if size < 8:
                break
            atoms.append(kind)
            offset += size
    return atoms
