"""The lip-sync clip put together from its pieces in one FFmpeg run: each generated clip brought to a common size
and frame rate, each piece trimmed out of its clip (held on its first frame or padded with its last where the clip
is short), and the pieces concatenated in order. The result is checked to last exactly the speech's frames."""

from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from santa_videos.media.ffmpeg_run import MediaError, probe, run_ffmpeg
from santa_videos.media.files import atomic_path
from santa_videos.media.lipsync_segments import FPS, Piece

WIDTH, HEIGHT = 1280, 720
# Padding is asked for a little past what the frame count promises, then trimmed: a clip whose last frame comes
# a frame early (rounding in its container) still fills its piece.
SPARE_FRAMES = 2


@dataclass(frozen=True)
class SourceClip:
    path: Path
    frames: int  # at FPS
    pieces: tuple[Piece, ...]


def clip_frames(path: Path) -> int:
    """How many frames the clip has at FPS, from what ffprobe says of its video stream."""
    data = probe(path)
    video = next((s for s in data.get("streams", []) if s.get("codec_type") == "video"), None)
    if video is None:
        raise MediaError(f"{path.name} has no video stream")
    if video.get("nb_frames") and video.get("r_frame_rate") == f"{FPS}/1":
        return int(video["nb_frames"])
    seconds = video.get("duration") or data.get("format", {}).get("duration")
    if seconds is None:
        raise MediaError(f"ffprobe gives no duration for {path.name}")
    return round(float(seconds) * FPS)


def _read(piece: Piece, clip_frames: int) -> tuple[int, int, int]:
    """(first frame, frames taken, frames held before) of the clip that `piece` shows."""
    start = min(piece.offset, max(clip_frames - 1, 0))
    wanted = piece.frames - piece.hold if piece.take is None else piece.take
    take = max(1, min(wanted, piece.frames - piece.hold, clip_frames - start))
    return start, take, min(piece.hold, piece.frames - take)


def _trimmed(stream, read: tuple[int, int, int]):
    start, take, _hold = read  # the hold is padded per piece, in _filled
    return stream.trim(start_frame=start, end_frame=start + take).setpts("PTS-STARTPTS")


def _filled(stream, piece: Piece, read: tuple[int, int, int]):
    # One tpad for both ends: a second tpad after a start pad loses the start pad's frames.
    _start, take, hold = read
    stop = piece.frames - hold - take + SPARE_FRAMES
    padding = {"start": hold, "start_mode": "clone"} if hold > 0 else {}
    stream = stream.filter("tpad", stop=stop, stop_mode="clone", **padding)
    return stream.trim(end_frame=piece.frames).setpts("PTS-STARTPTS")


def _branches(stream, count: int) -> list:
    if count == 1:
        return [stream]
    copies = stream.filter_multi_output("split", count)
    return [copies.stream(number) for number in range(count)]


def _pieces_of(source: "SourceClip", video) -> list[tuple[int, object]]:
    """Each piece of the source as a stream, placed by its first frame. Pieces showing the same frames (a
    sentence said twice) are read once and the read split: FFmpeg miscounts two branches of one split that trim
    the same frames around a branch reading on."""
    reads: dict[tuple[int, int, int], list[Piece]] = {}
    for piece in source.pieces:
        reads.setdefault(_read(piece, source.frames), []).append(piece)
    placed = []
    for branch, (read, pieces) in zip(_branches(video, len(reads)), reads.items()):
        for copy, piece in zip(_branches(_trimmed(branch, read), len(pieces)), pieces):
            placed.append((piece.first, _filled(copy, piece, read)))
    return placed


def assemble_clip(sources: list[SourceClip], total_frames: int, out: Path, timeout: float, threads: int = 0,
                  preset: str = "veryfast") -> Path:
    """Write the pieces of `sources`, in timeline order, as one H.264 clip without sound at WIDTHxHEIGHT, FPS."""
    placed = []
    for source in sources:
        video = ffmpeg.input(str(source.path), protocol_whitelist="file").video.filter("fps", FPS)
        video = video.filter("scale", WIDTH, HEIGHT, flags="lanczos", force_original_aspect_ratio="decrease")
        video = video.filter("pad", WIDTH, HEIGHT, "(ow-iw)/2", "(oh-ih)/2").filter("setsar", 1)
        placed += _pieces_of(source, video)
    placed.sort(key=lambda item: item[0])
    joined = ffmpeg.concat(*[stream for _, stream in placed], v=1, a=0) if len(placed) > 1 else placed[0][1]
    with atomic_path(out) as temp:
        stream = joined.output(
            str(temp), vcodec="libx264", preset=preset, crf=18, pix_fmt="yuv420p", r=FPS, an=None,
            movflags="+faststart", threads=threads,
        )
        run_ffmpeg(stream.get_args(), timeout, f"assembling the lip-sync clip from {len(placed)} pieces")
        made = clip_frames(temp)
        if made != total_frames:
            raise MediaError(f"the lip-sync clip has {made} frames, not the speech's {total_frames}")
    return out
