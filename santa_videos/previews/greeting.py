"""The preview's audio: the order's greeting line with the name, said as the order's audio step will say it (voice,
model, settings, name lexicon), through the same sentence cache under the same keys, so ordering after hearing it
pays nothing more for that sentence.

Its sentences are cached for a preview owner of the day (ledger.py) instead of an order, which is how retention
finds and erases them.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from santa_videos.names.lexicon import spoken_name
from santa_videos.previews.ledger import PreviewLedger, preview_owner, seconds_until_next_day
from santa_videos.previews.request import PreviewRequest
from santa_videos.resources.audio_cache import sentence_audio_key
from santa_videos.resources.sentence_speech import Cache, speak_script
from santa_videos.resources.speech_chain import SpeechChain
from santa_videos.script.lines import greeting_line, speech_plan

logger = logging.getLogger(__name__)


class PreviewBudgetSpent(Exception):
    """Today's previews have billed the daily cap; a preview that needs new speech waits for the next UTC day."""

    def __init__(self, cap: int, retry_after: int):
        super().__init__(f"today's name previews have used their {cap} characters of speech; "
                         f"previews that were heard before still play, new ones can be made again in {retry_after} s "
                         "(after midnight UTC)")
        self.retry_after = retry_after


@dataclass(frozen=True)
class PreviewAudio:
    """What a preview was made of; its audio is the WAV written to `out`."""

    name_source: str  # order, lexicon or spelling
    provider: str
    characters_billed: int
    sentences: int
    sentences_cached: int


def _first_usable(voice: SpeechChain) -> str | None:
    return next((name for name in voice.providers if not voice.unusable(name)), None)


def speak_greeting(
    voice: SpeechChain, cache: Cache, ledger: PreviewLedger, daily_cap: int,
    request: PreviewRequest, out: Path, workdir: Path, now: datetime,
) -> PreviewAudio:
    """The greeting spoken into `out` (WAV). PreviewBudgetSpent when it would bill past today's cap; dg.Failure
    when no voice can speak it. Nothing of the name is logged."""
    lexicon = voice.names.lexicon()  # the lexicon the order's script step will read
    spoken, source = spoken_name(request.child_name, request.phonetic_name, request.language, lexicon)
    line = greeting_line(request.order_id, request.child_name, spoken, request.language)
    plan = speech_plan([line], request.language)
    provider = _first_usable(voice)
    missing = [sentence for sentence in plan if provider is not None
               and not cache.contains(sentence_audio_key(voice, provider, request.language, sentence.text))]
    # What billing may reach: every character of what is not cached (a cheaper model bills less, settled below).
    reserved = sum(len(sentence.text) for sentence in missing) if provider == "elevenlabs" else 0
    day = now.astimezone(timezone.utc).date()
    if not ledger.reserve(day, reserved, daily_cap):
        raise PreviewBudgetSpent(daily_cap, seconds_until_next_day(now))
    # A failure keeps the reservation: part of it may have been billed.
    result = speak_script(voice, cache, [line], plan, request.language, out, workdir, preview_owner(day), logger.info)
    ledger.settle(day, reserved, result.characters_billed)
    return PreviewAudio(name_source=source, provider=result.provider,
                        characters_billed=result.characters_billed, sentences=len(plan),
                        sentences_cached=result.sentences_cached)
