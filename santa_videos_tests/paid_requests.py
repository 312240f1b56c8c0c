"""What delivered orders should have cost the paid providers on empty caches, read from their speech plans and
timings: each shared sentence spoken and lip-synced once for all of them, each order's own sentences in one speech
request and in the generations its packing needs."""

import json
from dataclasses import dataclass
from pathlib import Path

from santa_videos.media.lipsync_segments import plan_generations, plan_slots, sentences_of


@dataclass(frozen=True)
class PaidRequests:
    speech: int  # ElevenLabs text-to-speech requests
    generations: int  # Higgsfield Speak submissions


def paid_requests(orders_dir: Path, order_ids: list[str], lipsync: bool = True) -> PaidRequests:
    shared_texts, shared_clips, own_speech, own_clips = set(), set(), 0, 0
    for order_id in order_ids:
        plan = json.loads((orders_dir / order_id / "plan.json").read_text(encoding="utf-8"))
        sentences = plan["sentences"]
        shared_texts |= {(plan["language"], s["text"]) for s in sentences if s["shared"]}
        own_speech += any(not s["shared"] for s in sentences)
        if lipsync:
            timing = json.loads((orders_dir / order_id / "cues.json").read_text(encoding="utf-8"))
            generations = plan_generations(plan_slots(sentences_of(timing), timing["duration"]))
            shared_clips |= {g.sentence_key for g in generations if g.shared}
            own_clips += sum(1 for g in generations if not g.shared)
    return PaidRequests(len(shared_texts) + own_speech, len(shared_clips) + own_clips)
