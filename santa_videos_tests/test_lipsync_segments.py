"""Lip-sync segment planning (slots, shared generations, packs) and the ledger of segments being generated."""

import time

import pytest
import sqlalchemy as sa

from santa_videos.media.lipsync_segments import (
    FPS, MAX_FRAMES, PREROLL_SECONDS, SPEAK_DURATIONS, Piece, Sentence, plan_generations, plan_slots,
    sentences_of, speak_duration, split_slot,
)
from santa_videos.orders.database import make_engine
from santa_videos.orders.lipsync_ledger import LipsyncLedger

pytestmark = pytest.mark.unit


def speech(*sentences: tuple[float, bool], lead: float = 0.6, pause: float = 0.45, tail: float = 1.0):
    """Sentences of the given lengths and kinds laid out as the audio step does; (sentences, duration)."""
    laid, at = [], lead
    for number, (seconds, shared) in enumerate(sentences):
        laid.append(Sentence(round(at, 3), round(at + seconds, 3), shared, f"key-{number}" if shared else ""))
        at += seconds + (pause if number + 1 < len(sentences) else tail)
    return laid, round(at, 3)


TYPICAL = speech((1.1, True), (1.2, False), (3.0, True), (3.0, False), (1.7, True), (2.6, True), (4.2, False))


def pieces_of(generations):
    return sorted((piece for generation in generations for piece in generation.pieces), key=lambda p: p.first)


def test_slots_tile_the_speech_frame_by_frame_with_seams_in_the_pauses():
    sentences, duration = TYPICAL
    slots = plan_slots(sentences, duration)
    assert slots[0].first == 0 and slots[-1].last == round(duration * FPS)
    assert all(a.last == b.first for a, b in zip(slots, slots[1:]))
    for before, slot in zip(slots, slots[1:]):
        seam = slot.first / FPS
        assert before.sentence.end < seam < slot.sentence.start, "a seam falls in the pause before a sentence"
        assert seam == pytest.approx(slot.sentence.start - PREROLL_SECONDS, abs=0.5 / FPS + 1e-9)
    assert slots[0].lead == round((0.6 - PREROLL_SECONDS) * FPS) and all(s.lead == 0 for s in slots[1:])


def test_the_pieces_of_all_generations_tile_the_clip():
    sentences, duration = TYPICAL
    pieces = pieces_of(plan_generations(plan_slots(sentences, duration)))
    assert pieces[0].first == 0 and pieces[-1].first + pieces[-1].frames == round(duration * FPS)
    assert all(a.first + a.frames == b.first for a, b in zip(pieces, pieces[1:]))


def test_a_shared_sentence_has_a_generation_of_its_own_long_enough_for_any_following_pause():
    sentences, duration = TYPICAL
    slots = plan_slots(sentences, duration)
    shared = [g for g in plan_generations(slots) if g.shared]
    assert [g.sentence_key for g in shared] == ["key-0", "key-2", "key-4", "key-5"]
    for generation in shared:
        (start, end), = generation.spans
        assert generation.silence == PREROLL_SECONDS
        assert generation.duration == speak_duration(PREROLL_SECONDS + end - start + 1.0)
        (piece,) = generation.pieces
        assert piece.covered(generation.duration * FPS) == piece.frames, "a clip of `duration` covers its slot"
    first = next(g for g in shared if g.sentence_key == "key-0").pieces[0]
    assert (first.offset, first.hold) == (0, 10), "the first slot holds the clip's first frame for its longer lead-in"


def test_the_orders_own_sentences_are_paid_for_without_the_silence_around_them():
    sentences, duration = TYPICAL
    personal = [g for g in plan_generations(plan_slots(sentences, duration)) if not g.shared]
    # 10.75 s with their pauses and the speech's tail would bill 15 s; the sentences with their preroll and a
    # short decay are 9.6 s: one 10 s generation.
    (pack,) = personal
    assert pack.duration == 10 and pack.silence == 0
    own = [s for s in sentences if not s.shared]
    expected = [(s.seconds + PREROLL_SECONDS + 0.2) * FPS for s in own]
    assert all(abs(p.take - frames) <= 1 for p, frames in zip(pack.pieces, expected))
    assert [p.offset for p in pack.pieces] == [0, pack.pieces[0].take, pack.pieces[0].take + pack.pieces[1].take]
    assert pack.audio_seconds == pytest.approx(sum(p.take for p in pack.pieces) / FPS)
    assert all(p.frames >= p.take for p in pack.pieces), "the rest of each slot holds the piece's last frame"
    assert all(p.covered(pack.duration * FPS) == p.frames for p in pack.pieces)


def test_the_orders_own_sentences_are_packed_to_bill_the_fewest_seconds():
    # Parts of 3, 8 and 6 s: packed in speech order, 3 + 8 then 6 bill 15 + 10 s; 3 + 6 and 8 bill 10 + 10 s.
    sentences, duration = speech((2.6, False), (1.0, True), (7.6, False), (1.0, True), (5.6, False))
    personal = [g for g in plan_generations(plan_slots(sentences, duration)) if not g.shared]
    assert sum(g.duration for g in personal) == 20 and len(personal) == 2
    assert all(g.audio_seconds <= g.duration for g in personal)


def test_the_orders_own_sentence_said_twice_is_generated_once():
    sentences, duration = speech((1.0, True), (1.5, False), (3.0, True), (1.5, False))
    sentences[1] = Sentence(sentences[1].start, sentences[1].end, False, "merry-christmas-emma")
    sentences[3] = Sentence(sentences[3].start, sentences[3].end, False, "merry-christmas-emma")
    (pack,) = [g for g in plan_generations(plan_slots(sentences, duration)) if not g.shared]
    assert len(pack.spans) == 1 and pack.duration == 5
    first, again = pack.pieces
    assert first.offset == again.offset == 0 and first.take == again.take
    assert again.first == plan_slots(sentences, duration)[3].first


def test_no_generation_is_over_15_seconds_and_every_duration_is_5_10_or_15():
    sentences, duration = speech(*[(seconds, seconds > 3) for seconds in (4.5, 2.0, 6.3, 3.9, 1.0, 7.7, 2.2, 9.8, 0.6)])
    for generation in plan_generations(plan_slots(sentences, duration)):
        assert generation.duration in SPEAK_DURATIONS
        assert generation.audio_seconds <= generation.duration
        assert sum(p.frames for p in generation.pieces) <= MAX_FRAMES or generation.shared


def test_a_slot_longer_than_15_seconds_is_split_into_even_parts():
    sentences, duration = speech((1.0, True), (31.0, False), (2.0, True))
    slots = plan_slots(sentences, duration)
    parts = split_slot(slots[1])
    assert len(parts) == 3 and parts[0][0] == slots[1].first and parts[-1][1] == slots[1].last
    assert all(last - first <= MAX_FRAMES for first, last in parts)
    personal = [g for g in plan_generations(slots) if not g.shared]
    assert len(personal) == 3 and all(g.duration == 15 for g in personal)
    last = pieces_of(plan_generations(slots))[-1]
    assert last.first + last.frames == slots[-1].last


def test_a_shared_sentence_too_long_for_one_generation_is_made_with_the_order():
    sentences, duration = speech((1.0, True), (15.5, True))
    generations = plan_generations(plan_slots(sentences, duration))
    assert [g.shared for g in generations] == [True, False, False]


def test_the_same_shared_sentence_twice_is_one_generation_with_two_pieces():
    sentences, duration = speech((1.5, True), (2.0, False), (1.5, True))
    sentences[2] = Sentence(sentences[2].start, sentences[2].end, True, "key-0")
    shared = [g for g in plan_generations(plan_slots(sentences, duration)) if g.shared]
    assert len(shared) == 1 and len(shared[0].pieces) == 2


def test_speech_timed_without_sentences_is_cut_at_its_captions_as_the_orders_own():
    timing = {"duration": 6.0, "cues": [{"start": 0.6, "end": 2.0, "text": "Ho ho ho"},
                                        {"start": 2.45, "end": 5.0, "text": "Hello Emma"}]}
    assert sentences_of(timing) == [Sentence(0.6, 2.0, False, ""), Sentence(2.45, 5.0, False, "")]
    assert all(not g.shared for g in plan_generations(plan_slots(sentences_of(timing), 6.0)))


def test_durations_round_up_and_stop_at_15():
    assert [speak_duration(s) for s in (0.5, 5.0, 5.01, 10.0, 14.99, 15.0)] == [5, 5, 10, 10, 15, 15]
    with pytest.raises(ValueError, match="longer than the longest generation"):
        speak_duration(15.2)


def test_a_piece_counts_as_covered_only_as_far_as_its_clip_goes():
    assert Piece(first=0, frames=50, offset=0, hold=10).covered(clip_frames=125) == 50
    assert Piece(first=0, frames=50, offset=0, hold=10).covered(clip_frames=30) == 40
    assert Piece(first=80, frames=40, offset=100).covered(clip_frames=125) == 25


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'orders.db'}")
    yield engine
    engine.dispose()


def test_two_runs_claiming_one_segment_one_submits_and_the_other_sees_its_request_id(engine):
    first, second = LipsyncLedger(engine, "host/run-1"), LipsyncLedger(engine, "host/run-2")
    assert first.claim("abc", None).mine
    assert not second.claim("abc", None).mine
    first.save("abc", "req-1")
    seen = second.claim("abc", None)
    assert (seen.mine, seen.request_id, seen.claimed_by) == (False, "req-1", "host/run-1")
    second.done("abc")
    assert first.get("abc") is None


def test_a_stale_claim_without_request_id_is_taken_over_and_one_with_an_id_never(engine):
    dead = LipsyncLedger(engine, "host/dead")
    dead.claim("unsent", None)
    dead.claim("sent", "ord_1")
    dead.save("sent", "req-9")
    assert not LipsyncLedger(engine, "host/patient", stale_seconds=60).claim("unsent", None).mine
    time.sleep(0.05)
    impatient = LipsyncLedger(engine, "host/new", stale_seconds=0.01)
    assert impatient.claim("unsent", None).mine
    kept = impatient.claim("sent", "ord_1")
    assert (kept.mine, kept.request_id) == (False, "req-9")


def test_release_and_forget_touch_only_what_they_should(engine):
    mine, other = LipsyncLedger(engine, "host/a"), LipsyncLedger(engine, "host/b")
    mine.claim("k1", "ord_1")
    other.release("k1")
    assert mine.get("k1") is not None, "only the claimer lets go of a claim"
    mine.save("k1", "req-1")
    mine.release("k1")
    assert mine.get("k1").request_id == "req-1", "a submitted segment is not released"
    mine.forget_request("k1", "req-other")
    assert mine.get("k1") is not None
    mine.forget_request("k1", "req-1")
    assert mine.get("k1") is None


def test_an_orders_rows_are_forgotten_with_it_and_shared_rows_stay(engine):
    ledger = LipsyncLedger(engine, "host/a")
    ledger.claim("ord_1/k", "ord_1")
    ledger.claim("shared-k", None)
    assert [row.segment_key for row in ledger.of_order("ord_1")] == ["ord_1/k"]
    assert ledger.forget_order("ord_1") == 1
    assert ledger.get("shared-k") is not None
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("lipsync_segments")}
    assert columns == {"segment_key", "order_id", "request_id", "claimed_by", "claimed_at"}
