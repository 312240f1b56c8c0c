"""The Speak generations of one lip-sync clip, driven together in one loop (no threads, so a terminated run's
interrupt lands here and stops them all).

Each generation is found in the media store, or polled by the request id the ledger holds (an earlier attempt, or
another run, paid for it), or claimed and submitted by this run, at most `max_in_flight` at a time; a claim another
run holds without a request id yet is looked at again every round. A clip is stored as soon as it is downloaded, so
a failure later keeps it. On any failure, deadline or interrupt, the order's own generations still queued are
canceled (not charged); shared ones are left running, their request ids in the ledger, for the next order that
needs them.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from santa_videos.media.lipsync_segments import Generation
from santa_videos.orders.lipsync_ledger import Claim, LipsyncLedger
from santa_videos.providers.errors import TransientProviderError
from santa_videos.resources.higgsfield import PROVIDER, HiggsfieldClips, HiggsfieldSession, RequestGone


@dataclass
class Wanted:
    """A generation the clip needs, and how far this run got with it."""

    plan: Generation
    key: str  # its row in the ledger
    name: str  # its clip's file name in the store
    order_id: str | None  # None for a shared generation
    audio: Path
    state: str = "new"  # new | submit (claimed) | poll | wait (another run's claim) | done
    clip: Path | None = None
    request_id: str | None = None
    submitted: bool = False  # paid for by this run
    resubmittable: bool = True  # a request id this run did not submit may be found gone once

    @property
    def shared(self) -> bool:
        return self.order_id is None


class ClipShelf(Protocol):
    """Where generated clips are kept: shared ones for everyone, an order's own under the order."""

    def find(self, wanted: Wanted) -> Path | None: ...
    def keep(self, wanted: Wanted, clip: Path) -> Path: ...


class Generations:
    def __init__(self, config: HiggsfieldClips, session: HiggsfieldSession, ledger: LipsyncLedger, shelf: ClipShelf,
                 portrait: Path, workdir: Path, log: Callable[[str], None]):
        self.config, self.session, self.ledger, self.shelf = config, session, ledger, shelf
        self.portrait, self.workdir, self.log = portrait, workdir, log
        self._portrait_url: str | None = None

    def run(self, wanted: list[Wanted]) -> None:
        """Bring every wanted generation's clip to `wanted[i].clip`, or raise ProviderError."""
        deadline = time.monotonic() + self.config.deadline_seconds
        delay, rng = self.config.poll_first_seconds, random.Random()
        try:
            for item in wanted:
                self._resolve(item)
            while True:
                self._submit_some(wanted)
                for item in [w for w in wanted if w.state == "wait"]:
                    self._resolve(item)
                for item in [w for w in wanted if w.state == "poll"]:
                    self._poll(item)
                pending = [w for w in wanted if w.state != "done"]
                if not pending:
                    return
                if time.monotonic() + delay > deadline:
                    raise TransientProviderError(
                        PROVIDER, f"{len(pending)} of {len(wanted)} generations did not finish within "
                        f"{self.config.deadline_seconds:.0f} s ({self._stop(wanted)})",
                    )
                self.ledger.refresh([w.key for w in pending])
                time.sleep(delay * rng.uniform(0.8, 1.2))
                delay = min(delay * 1.5, self.config.poll_max_seconds)
        except BaseException:
            # A failed generation, the deadline, or a terminated run (Dagster raises its interrupt here).
            self._stop(wanted)
            raise

    def _resolve(self, item: Wanted) -> None:
        """Stored already, or being generated (by whom), or to be submitted by this run."""
        if self._found(item):
            return
        claim = self.ledger.claim(item.key, item.order_id)
        if claim.request_id:
            self._follow(item, claim)
        elif not claim.mine:
            item.state = "wait"
        elif self._found(item):  # stored by another run between the look and the claim
            self.ledger.release(item.key)
        else:
            item.state = "submit"

    def _found(self, item: Wanted) -> bool:
        found = self.shelf.find(item)
        if found is not None:
            item.clip, item.state = found, "done"
        return found is not None

    def _follow(self, item: Wanted, claim: Claim) -> None:
        item.request_id, item.state = claim.request_id, "poll"
        self.log(f"{PROVIDER}: polling generation {claim.request_id}, which an earlier attempt or another run paid for")

    def _submit_some(self, wanted: list[Wanted]) -> None:
        in_flight = sum(1 for w in wanted if w.state == "poll")
        for item in [w for w in wanted if w.state == "submit"][: max(0, self.config.max_in_flight - in_flight)]:
            self._submit(item)

    def _submit(self, item: Wanted) -> None:
        try:
            self.ledger.refresh([item.key])
            if self._portrait_url is None:
                self._portrait_url = self.session.upload(self.portrait, "image/jpeg")
            audio_url = self.session.upload(item.audio, "audio/wav")
            request_id = self.session.submit(item.key, self._portrait_url, audio_url, item.plan.duration)
        except BaseException:
            self.ledger.release(item.key)
            item.state = "new"
            raise
        self.ledger.save(item.key, request_id)
        item.request_id, item.submitted, item.state = request_id, True, "poll"
        self.log(f"{PROVIDER}: submitted generation {request_id} ({item.plan.duration} s, "
                 f"{'shared' if item.shared else 'personal'})")

    def _poll(self, item: Wanted) -> None:
        try:
            url = self.session.poll(item.request_id)
        except RequestGone as gone:
            self.ledger.forget_request(item.key, item.request_id)
            item.request_id, item.state = None, "new"
            if item.submitted or not item.resubmittable:
                raise
            # Someone else's generation, canceled or expired: this run makes the segment itself.
            item.resubmittable = False
            self.log(f"{PROVIDER}: {gone.reason}; claiming the segment again")
            self._resolve(item)
            return
        if url is None:
            return
        downloaded = self.session.download(url, self.workdir / item.name)
        item.clip, item.state = self.shelf.keep(item, downloaded), "done"
        self.ledger.done(item.key)

    def _stop(self, wanted: list[Wanted]) -> str:
        """Cancel the order's own generations still queued; let go of claims never submitted. What became of the
        ones in flight, in words."""
        canceled = kept = 0
        for item in wanted:
            if item.state == "submit":
                self.ledger.release(item.key)
            elif item.state == "poll" and not item.shared and self.session.cancel(item.request_id):
                self.ledger.forget_request(item.key, item.request_id)
                canceled += 1
            elif item.state == "poll":
                kept += 1
            else:
                continue
            item.state = "stopped"
        return f"{canceled} canceled, {kept} still running, kept for a later attempt"
