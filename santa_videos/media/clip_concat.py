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


def _piece(stream, piece: Piece, clip_frames: int):
    start = min(piece.offset, max(clip_frames - 1, 0))
    wanted = piece.frames - piece.hold if piece.take is None else piece.take
    take = max(1, min(wanted, piece.frames - piece.hold, clip_frames - start))
    hold = min(piece.hold, piece.frames - take)
    stream = stream.trim(start_frame=start, end_frame=start + take).setpts("PTS-STARTPTS")
    if hold > 0:
        stream = stream.filter("tpad", start=hold, start_mode="clone")
    stop = piece.frames - hold - take
    stream = stream.filter("tpad", stop=stop + SPARE_FRAMES, stop_mode="clone")
    return stream.trim(end_frame=piece.frames).setpts("PTS-STARTPTS")


def assemble_clip(sources: list[SourceClip], total_frames: int, out: Path, timeout: float, threads: int = 0,
                  preset: str = "veryfast") -> Path:
    """Write the pieces of `sources`, in timeline order, as one H.264 clip without sound at WIDTHxHEIGHT, FPS."""
    placed = []
    for source in sources:
        video = ffmpeg.input(str(source.path), protocol_whitelist="file").video.filter("fps", FPS)
        video = video.filter("scale", WIDTH, HEIGHT, flags="lanczos", force_original_aspect_ratio="decrease")
        video = video.filter("pad", WIDTH, HEIGHT, "(ow-iw)/2", "(oh-ih)/2").filter("setsar", 1)
        copies = video.filter_multi_output("split", len(source.pieces)) if len(source.pieces) > 1 else None
        for number, piece in enumerate(source.pieces):
            branch = copies.stream(number) if copies is not None else video
            placed.append((piece.first, _piece(branch, piece, source.frames)))
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
