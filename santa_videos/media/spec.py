"""The delivery spec a final video must meet, checked against what ffprobe reports."""

from pathlib import Path

from santa_videos.media.ffmpeg_run import MediaError, probe, top_level_atoms

DURATION_TOLERANCE_SECONDS = 0.5


def streams_of(probe_data: dict, kind: str) -> list[dict]:
    return [s for s in probe_data.get("streams", []) if s.get("codec_type") == kind]


def probe_playable(path: Path) -> dict:
    """ffprobe the file; it must hold exactly one video and one audio stream, or it is not a video we deliver."""
    if not path.exists() or path.stat().st_size == 0:
        raise MediaError(f"{path.name} is missing or empty")
    data = probe(path)
    if len(streams_of(data, "video")) != 1 or len(streams_of(data, "audio")) != 1:
        raise MediaError(f"{path.name} must have one video and one audio stream")
    return data


def spec_problems(path: Path, probe_data: dict, expected_duration: float) -> list[str]:
    video, audio = streams_of(probe_data, "video")[0], streams_of(probe_data, "audio")[0]
    problems = []
    duration = float(probe_data["format"].get("duration", 0))
    if abs(duration - expected_duration) > DURATION_TOLERANCE_SECONDS:
        problems.append(f"duration {duration:.2f} s is not within {DURATION_TOLERANCE_SECONDS} s of the audio's {expected_duration:.2f} s")
    if (video.get("codec_name"), video.get("profile")) != ("h264", "High"):
        problems.append(f"video is {video.get('codec_name')} {video.get('profile')}, not h264 High")
    if video.get("level") != 40:
        problems.append(f"H.264 level is {video.get('level')}, not 40")
    if video.get("pix_fmt") != "yuv420p":
        problems.append(f"pixel format is {video.get('pix_fmt')}, not yuv420p")
    if (video.get("width"), video.get("height")) != (1280, 720):
        problems.append(f"frame size is {video.get('width')}x{video.get('height')}, not 1280x720")
    if audio.get("codec_name") != "aac" or str(audio.get("sample_rate")) != "48000":
        problems.append(f"audio is {audio.get('codec_name')} at {audio.get('sample_rate')} Hz, not aac at 48000 Hz")
    atoms = top_level_atoms(path)
    if "moov" not in atoms or "mdat" not in atoms or atoms.index("moov") > atoms.index("mdat"):
        problems.append(f"moov atom is not before mdat (top-level boxes: {', '.join(atoms)}): no fast start")
    return problems
