"""Pictures laid over video. A picture track: still pictures, each shown from its start time until the next one's,
read by FFmpeg's concat demuxer as one stream (Santa's face changes a few times a second: a PNG decode per change,
one overlay in all). A single picture: one frame the overlay keeps showing."""

from pathlib import Path

import ffmpeg

from santa_videos.media.files import write_text


def _quoted(path: Path) -> str:
    return "'" + str(path.resolve()).replace("'", "'\\''") + "'"


def write_slideshow(path: Path, changes: list[tuple[float, Path]], duration: float) -> Path:
    """`changes` are (time in seconds, picture) in order, the first at 0; a change earlier than the one before
    it waits for it. The last picture stays until `duration`."""
    changes = [change for n, change in enumerate(changes) if n == 0 or change[1] != changes[n - 1][1]]
    times = [0.0]
    for time, _ in changes[1:]:
        times.append(max(times[-1], round(time, 3)))
    times.append(max(round(duration, 3), times[-1] + 0.04))
    lines = ["ffconcat version 1.0"]
    for (_, picture), start, end in zip(changes, times, times[1:]):
        if end > start:
            lines += [f"file {_quoted(picture)}", f"duration {end - start:.3f}"]
    # The demuxer honours the last duration only when a file follows it.
    lines.append(f"file {_quoted(changes[-1][1])}")
    return write_text(path, "\n".join(lines) + "\n")


def slideshow_input(path: Path):
    return ffmpeg.input(str(path), f="concat", safe=0, protocol_whitelist="file").video.filter("format", "yuva420p")


def looped_picture(path: Path, pixel_format: str, fps: int = 25):
    """A picture as a stream of frames, for a filter that needs one per frame (a background, a turning Santa):
    decoded and converted once, then the frame is reused."""
    picture = ffmpeg.input(str(path), f="image2", framerate=fps, protocol_whitelist="file")
    return picture.filter("format", pixel_format).filter("loop", loop=-1, size=1, start=0)


def overlay_picture(video, path: Path, **position):
    """Lay a picture over `video`: one decoded frame that the overlay keeps showing (eof_action=repeat). A looped
    picture would make FFmpeg 5.1's overlay copy every frame of the video: 0.2 ms a frame for each picture."""
    picture = ffmpeg.input(str(path), f="image2", protocol_whitelist="file").filter("format", "yuva420p")
    return video.overlay(picture, eof_action="repeat", **position)
