"""The voice and clip resources for the provider settings: real providers in front of the local ones, or local
only. Keys reach the resources through EnvVar, so they are read in the run and never stored in run config."""

import dagster as dg

from santa_videos.providers.settings import ProviderSettings
from santa_videos.resources.clip_chain import ClipChain
from santa_videos.resources.elevenlabs import ElevenLabsVoice
from santa_videos.names.location import configured_location
from santa_videos.resources.higgsfield import HiggsfieldClips
from santa_videos.resources.media_store import media_store
from santa_videos.resources.names import NameLexicon
from santa_videos.resources.speech_chain import SpeechChain
from santa_videos.resources.voice import EspeakVoice
from santa_videos.settings import Settings


def _key(name: str, is_set: bool):
    # An unset key stays empty (the chain then skips that provider and says why) instead of failing every run.
    return dg.EnvVar(name) if is_set else ""


def _retry_policy(providers: ProviderSettings) -> dict:
    """Every paid provider retries its calls by the same settings (SANTA_PROVIDER_MAX_ATTEMPTS and the rest)."""
    return {
        "max_attempts": providers.max_attempts,
        "retry_base_seconds": providers.retry_base_seconds,
        "retry_budget_seconds": providers.retry_budget_seconds,
    }


def build_voice(settings: Settings, providers: ProviderSettings, names: NameLexicon | None = None) -> SpeechChain:
    return SpeechChain(
        providers=providers.speech_chain,
        names=names or NameLexicon(location=configured_location(), media=media_store()),
        elevenlabs=ElevenLabsVoice(
            api_key=_key("ELEVENLABS_API_KEY", providers.elevenlabs_key_set),
            voice_id=providers.voice_id,
            model_id=providers.elevenlabs_model_id,
            output_format=providers.elevenlabs_output_format,
            base_url=providers.elevenlabs_base_url,
            timeout_seconds=providers.elevenlabs_timeout_seconds,
            ffmpeg_timeout_seconds=settings.ffmpeg_timeout_seconds,
            dictionaries_db_url=settings.orders_db_url,
            **_retry_policy(providers),
            **providers.elevenlabs_voice_settings,
        ),
        espeak=EspeakVoice(timeout_seconds=settings.ffmpeg_timeout_seconds),
    )


def build_clips(settings: Settings, providers: ProviderSettings) -> ClipChain:
    return ClipChain(
        strategies=providers.clip_strategies,
        higgsfield=HiggsfieldClips(
            api_key=_key("HIGGSFIELD_API_KEY", providers.higgsfield_key_set),
            base_url=providers.higgsfield_base_url,
            model_path=providers.higgsfield_model_path,
            connect_timeout_seconds=providers.higgsfield_connect_timeout_seconds,
            read_timeout_seconds=providers.higgsfield_read_timeout_seconds,
            poll_first_seconds=providers.higgsfield_poll_first_seconds,
            poll_max_seconds=providers.higgsfield_poll_max_seconds,
            deadline_seconds=providers.higgsfield_deadline_seconds,
            max_download_mb=providers.higgsfield_max_download_mb,
            **_retry_policy(providers),
        ),
        timeout_seconds=settings.ffmpeg_timeout_seconds,
        threads=settings.ffmpeg_threads,
    )
