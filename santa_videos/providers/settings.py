"""Provider settings from the environment. SANTA_PROVIDERS=local (default: offline, no keys) or real (ElevenLabs
and Higgsfield first, the local providers behind them). API keys are not read here: resources get them by EnvVar."""

import os
from dataclasses import dataclass

from santa_videos.settings import SettingsError, _number

SPEECH_PROVIDERS = ("elevenlabs", "espeak")
CLIP_STRATEGIES = ("lipsync", "template", "still")
DEFAULT_CHAINS = {
    "local": ("espeak", "template,still"),
    "real": ("elevenlabs,espeak", "lipsync,template,still"),
}


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _chain(name: str, default: str, known: tuple[str, ...]) -> list[str]:
    items = [item.strip() for item in _env(name, default).split(",") if item.strip()]
    unknown = [item for item in items if item not in known]
    if unknown or not items:
        raise SettingsError(f"{name} must list some of {', '.join(known)} (comma-separated), got {_env(name, default)!r}")
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class ProviderSettings:
    mode: str
    speech_chain: list[str]
    clip_strategies: list[str]
    elevenlabs_key_set: bool
    higgsfield_key_set: bool
    voice_id: str
    elevenlabs_model_id: str
    elevenlabs_output_format: str
    elevenlabs_base_url: str
    elevenlabs_voice_settings: dict
    elevenlabs_timeout_seconds: float
    higgsfield_base_url: str
    higgsfield_model_path: str
    higgsfield_connect_timeout_seconds: float
    higgsfield_read_timeout_seconds: float
    higgsfield_poll_first_seconds: float
    higgsfield_poll_max_seconds: float
    higgsfield_deadline_seconds: float
    higgsfield_max_download_mb: float
    max_attempts: int
    retry_base_seconds: float
    retry_budget_seconds: float
    elevenlabs_max_runs: int
    higgsfield_max_runs: int

    def uses(self, provider: str) -> bool:
        return provider in self.speech_chain or (provider == "higgsfield" and "lipsync" in self.clip_strategies)


def load_provider_settings() -> ProviderSettings:
    mode = _env("SANTA_PROVIDERS", "local")
    if mode not in DEFAULT_CHAINS:
        raise SettingsError(f"SANTA_PROVIDERS must be local or real, got {mode!r}")
    speech_default, clip_default = DEFAULT_CHAINS[mode]
    return ProviderSettings(
        mode=mode,
        speech_chain=_chain("SANTA_SPEECH_PROVIDERS", speech_default, SPEECH_PROVIDERS),
        clip_strategies=_chain("SANTA_CLIP_STRATEGIES", clip_default, CLIP_STRATEGIES),
        elevenlabs_key_set=bool(_env("ELEVENLABS_API_KEY", "")),
        higgsfield_key_set=bool(_env("HIGGSFIELD_API_KEY", "")),
        voice_id=_env("SANTA_VOICE_ID", ""),
        elevenlabs_model_id=_env("ELEVENLABS_MODEL_ID", "eleven_multilingual_v2"),
        elevenlabs_output_format=_env("ELEVENLABS_OUTPUT_FORMAT", "mp3_44100_128"),
        elevenlabs_base_url=_env("ELEVENLABS_BASE_URL", "https://api.elevenlabs.io"),
        elevenlabs_voice_settings={
            "stability": _number("ELEVENLABS_STABILITY", 0.5),
            "similarity_boost": _number("ELEVENLABS_SIMILARITY_BOOST", 0.75),
            "style": _number("ELEVENLABS_STYLE", 0.0),
            "speed": _number("ELEVENLABS_SPEED", 0.9, minimum=0.7),
        },
        elevenlabs_timeout_seconds=_number("ELEVENLABS_TIMEOUT_SECONDS", 60, minimum=1),
        higgsfield_base_url=_env("HIGGSFIELD_BASE_URL", "https://api.higgsfield.ai"),
        higgsfield_model_path=_env("HIGGSFIELD_MODEL_PATH", "higgsfield-ai/speak"),
        higgsfield_connect_timeout_seconds=_number("HIGGSFIELD_CONNECT_TIMEOUT_SECONDS", 5, minimum=0.1),
        higgsfield_read_timeout_seconds=_number("HIGGSFIELD_READ_TIMEOUT_SECONDS", 30, minimum=0.1),
        higgsfield_poll_first_seconds=_number("HIGGSFIELD_POLL_SECONDS", 2, minimum=0.05),
        higgsfield_poll_max_seconds=_number("HIGGSFIELD_POLL_MAX_SECONDS", 10, minimum=0.05),
        higgsfield_deadline_seconds=_number("HIGGSFIELD_DEADLINE_SECONDS", 900, minimum=1),
        higgsfield_max_download_mb=_number("HIGGSFIELD_MAX_DOWNLOAD_MB", 200, minimum=1),
        max_attempts=_number("SANTA_PROVIDER_MAX_ATTEMPTS", 4, minimum=1, kind=int),
        retry_base_seconds=_number("SANTA_PROVIDER_RETRY_BASE_SECONDS", 1.0),
        retry_budget_seconds=_number("SANTA_PROVIDER_RETRY_BUDGET_SECONDS", 90, minimum=1),
        elevenlabs_max_runs=_number("SANTA_ELEVENLABS_MAX_RUNS", 5, minimum=1, kind=int),
        higgsfield_max_runs=_number("SANTA_HIGGSFIELD_MAX_RUNS", 4, minimum=1, kind=int),
    )
