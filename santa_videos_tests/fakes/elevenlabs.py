"""A fake ElevenLabs text-to-speech API, faithful to ../shared/provider-apis.md §1 and §3 (ElevenLabs fake).

Routes (any path prefix is kept, as the SDK keeps it): POST /v1/text-to-speech/{voice_id}[/stream][/with-timestamps]
(route name "tts"), GET /v1/user/subscription ("subscription") and POST /v1/pronunciation-dictionaries/add-from-rules
("dictionary", §5: alias rules, or phoneme rules with an alphabet). The speech is real: espeak-ng reads the text.
Each TTS request's `pronunciation_dictionary_locators` are kept in `tts_locators`; a locator naming no dictionary
or version made here is refused (the real status is unconfirmed: 404 here).
"""

import base64
import json
import re
import secrets
import threading

from santa_videos_tests.fakes import media
from santa_videos_tests.fakes.server import FakeServer, Fault, Reply, Request, json_fault

OUTPUT_FORMATS = {
    "alaw_8000", "ulaw_8000", "mp3_22050_32", "mp3_24000_48", "mp3_44100_32", "mp3_44100_64", "mp3_44100_96",
    "mp3_44100_128", "mp3_44100_192", "opus_48000_32", "opus_48000_64", "opus_48000_96", "opus_48000_128",
    "opus_48000_192", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_32000", "pcm_44100", "pcm_48000",
    "wav_8000", "wav_16000", "wav_22050", "wav_24000", "wav_32000", "wav_44100", "wav_48000",
}
# The real content-type of pcm/wav/opus answers is unconfirmed (§1.2); the SDK never reads it.
CONTENT_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "pcm": "application/octet-stream", "opus": "audio/ogg"}
TTS_PATH = re.compile(r"^(?P<prefix>.*)/v1/text-to-speech/(?P<voice>[^/]+)(?P<kind>/stream)?(?P<stamps>/with-timestamps)?$")
HANG_SECONDS = 20.0
DICTIONARY_PATH = re.compile(r"^(?P<prefix>.*)/v1/pronunciation-dictionaries/add-from-rules$")
MAX_LOCATORS = 3


def _error(status: int, kind: str, code: str, legacy: str, message: str, **options) -> Fault:
    # Both envelopes at once (§1.3 "suggested fake error body"): `code`/`type` (new) and `status` (legacy).
    detail = {"type": kind, "code": code, "status": legacy, "message": message, "request_id": secrets.token_hex(16)}
    return json_fault(status, {"detail": detail}, **options)


class FakeElevenLabs(FakeServer):
    faults_by_name = {
        "rate_limit": _error(429, "rate_limit_error", "concurrent_limit_exceeded", "too_many_concurrent_requests",
                             "Too many concurrent requests.", headers={"Retry-After": "1"}),
        "system_busy": _error(429, "rate_limit_error", "system_busy", "system_busy", "The system is busy, retry."),
        # The body of 5xx answers is unconfirmed (§1.3): plain text here, which the SDK keeps as text.
        "server_error": Fault(500, b"Internal Server Error", "text/plain"),
        "bad_gateway": Fault(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        "unavailable": Fault(503, b"Service Unavailable", "text/plain"),
        "hang": Fault(0, delay_seconds=HANG_SECONDS),
        "truncated": Fault(0, truncate=True),
        "html": Fault(200, b"<!doctype html><html><body>Welcome</body></html>", "text/html"),
        "unauthorized": _error(401, "authentication_error", "invalid_api_key", "invalid_api_key", "Invalid API key"),
        "quota": _error(401, "quota_error", "quota_exceeded", "quota_exceeded",
                        "This request exceeds your quota of 10000. You have 0 credits remaining, "
                        "while 91 credits are required for this request."),
        # Legacy docs say 400/401, newer reports 404 (§1.3, unconfirmed): the newer one here.
        "voice_not_found": _error(404, "not_found", "voice_not_found", "voice_not_found", "A voice with that id was not found."),
        "too_long": _error(400, "validation_error", "max_character_limit_exceeded", "max_character_limit_exceeded",
                           "This request's text exceeds the character limit."),
    }

    def __init__(self, api_key: str = "sk_fake_elevenlabs_key", voice_ids=("santa-voice",), character_limit: int = 100_000):
        super().__init__()
        self.api_key = api_key
        self.voice_ids = set(voice_ids)
        self.character_limit = character_limit
        self.characters_used = 0
        self._in_flight = 0
        self._state = threading.Lock()
        self.dictionaries: dict[str, dict] = {}  # id -> {"name", "version_id", "rules"}
        self.tts_locators: list[list[dict]] = []

    def exhaust_quota(self) -> None:
        """From now on every TTS request is refused with 401 quota_exceeded, and the subscription shows no credit."""
        self.characters_used = self.character_limit
        self.fail("tts", "quota", times=None)

    def route(self, method: str, path: str) -> str | None:
        if method == "POST" and TTS_PATH.match(path):
            return "tts"
        if method == "GET" and path.endswith("/v1/user/subscription"):
            return "subscription"
        if method == "POST" and DICTIONARY_PATH.match(path):
            return "dictionary"
        return None

    def common_headers(self) -> dict:
        return {"server": "uvicorn"}

    def _auth_error(self, request: Request) -> Reply | None:
        key = request.headers.get("xi-api-key")
        if key == self.api_key:
            return None
        status = "needs_authorization" if key is None else "invalid_api_key"
        body = {"detail": {"status": status, "code": status, "message": "Invalid API key" if key else "Missing API key"}}
        return Reply(401, json.dumps(body).encode())

    def answer(self, route: str, request: Request) -> Reply:
        if route == "subscription":
            return self._auth_error(request) or Reply(200, json.dumps(self._subscription()).encode())
        if route == "dictionary":
            return self._create_dictionary(request)
        try:
            body = request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            # Validation comes before auth on the real API (§1.3, 3P).
            problem = [{"loc": ["body", "text"], "msg": "Field required", "type": "missing"}]
            return Reply(422, json.dumps({"detail": problem}).encode())
        output_format = request.query.get("output_format", "mp3_44100_128")
        if output_format not in OUTPUT_FORMATS:
            problem = [{"loc": ["query", "output_format"], "msg": "Input should be a valid format", "type": "enum"}]
            return Reply(422, json.dumps({"detail": problem}).encode())
        refused = self._auth_error(request)
        if refused:
            return refused
        voice = TTS_PATH.match(request.path)["voice"]
        if voice not in self.voice_ids:
            return Reply(404, json.dumps({"detail": {"status": "voice_not_found", "code": "voice_not_found",
                                                     "message": f"A voice with voice_id {voice} was not found."}}).encode())
        locators = body.get("pronunciation_dictionary_locators") or []
        refused = self._locator_problem(locators)
        if refused:
            return refused
        with self._state:
            self.tts_locators.append(locators)
            self._in_flight += 1
            current = self._in_flight
        try:
            return self._speak(body, output_format, request, current)
        finally:
            with self._state:
                self._in_flight -= 1

    def _speak(self, body: dict, output_format: str, request: Request, current: int) -> Reply:
        text = body["text"]
        audio, seconds = media.speech(text, output_format)
        model = body.get("model_id") or "eleven_multilingual_v2"
        cost = (len(text) + 1) // 2 if ("flash" in model or "turbo" in model) else len(text)
        with self._state:
            self.characters_used += cost
        headers = {
            "request-id": secrets.token_urlsafe(15)[:20], "history-item-id": secrets.token_urlsafe(15)[:20],
            "character-cost": str(cost), "current-concurrent-requests": str(current),
            "maximum-concurrent-requests": "10", "tts-latency-ms": "120",
            "access-control-expose-headers": "request-id, history-item-id, character-cost, "
            "current-concurrent-requests, maximum-concurrent-requests",
        }
        if not request.path.endswith("/with-timestamps"):
            return Reply(200, audio, CONTENT_TYPES[output_format.split("_")[0]], headers)
        return Reply(200, json.dumps(self._with_timestamps(text, audio, seconds)).encode(), "application/json", headers)

    @staticmethod
    def _with_timestamps(text: str, audio: bytes, seconds: float) -> dict:
        # espeak-ng reports no character times, so the fake spreads the characters evenly over the speech:
        # the shape (three equal-length arrays, non-decreasing seconds) is what matters to a client.
        step = seconds / max(len(text), 1)
        starts = [round(i * step, 3) for i in range(len(text))]
        ends = [round((i + 1) * step, 3) for i in range(len(text))]
        alignment = {"characters": list(text), "character_start_times_seconds": starts, "character_end_times_seconds": ends}
        return {"audio_base64": base64.b64encode(audio).decode(), "alignment": alignment,
                "normalized_alignment": alignment}

    def _locator_problem(self, locators) -> Reply | None:
        if not isinstance(locators, list) or len(locators) > MAX_LOCATORS:
            problem = [{"loc": ["body", "pronunciation_dictionary_locators"], "msg": f"at most {MAX_LOCATORS}",
                        "type": "too_long"}]
            return Reply(422, json.dumps({"detail": problem}).encode())
        for locator in locators:
            known = self.dictionaries.get(locator.get("pronunciation_dictionary_id")) if isinstance(locator, dict) else None
            if known is None or locator.get("version_id") not in (None, known["version_id"]):
                body = {"detail": {"status": "pronunciation_dictionary_not_found", "code": "not_found",
                                   "message": f"Pronunciation dictionary {locator!r} was not found."}}
                return Reply(404, json.dumps(body).encode())
        return None

    @staticmethod
    def _rule_problems(rules) -> list[dict]:
        if not isinstance(rules, list) or not rules:
            return [{"loc": ["body", "rules"], "msg": "Field required", "type": "missing"}]
        problems = []
        for index, rule in enumerate(rules):
            where = ["body", "rules", index]
            if not isinstance(rule, dict):
                problems.append({"loc": where, "msg": "Input should be an object", "type": "model_type"})
                continue
            required = {"alias": ("alias",), "phoneme": ("phoneme", "alphabet")}.get(rule.get("type"))
            if required is None:
                problems.append({"loc": [*where, "type"], "msg": "Input should be 'alias' or 'phoneme'", "type": "literal_error"})
                continue
            for field in ("string_to_replace", *required):
                if not isinstance(rule.get(field), str) or not rule[field].strip():
                    problems.append({"loc": [*where, rule["type"], field], "msg": "Field required", "type": "missing"})
            for field in ("case_sensitive", "word_boundaries"):
                if rule.get(field) is not None and not isinstance(rule[field], bool):
                    problems.append({"loc": [*where, rule["type"], field], "msg": "Input should be a valid boolean", "type": "bool_type"})
        return problems

    def _create_dictionary(self, request: Request) -> Reply:
        try:
            body = request.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        problems = self._rule_problems(body.get("rules"))
        if not isinstance(body.get("name"), str) or not body["name"]:
            problems.append({"loc": ["body", "name"], "msg": "Field required", "type": "missing"})
        if problems:
            return Reply(422, json.dumps({"detail": problems}).encode())
        refused = self._auth_error(request)
        if refused:
            return refused
        dictionary_id, version_id = secrets.token_urlsafe(15)[:20], secrets.token_urlsafe(15)[:20]
        with self._state:
            self.dictionaries[dictionary_id] = {"name": body["name"], "version_id": version_id, "rules": body["rules"]}
        answer = {
            "id": dictionary_id, "name": body["name"], "created_by": "fake-user", "creation_time_unix": 1766000000,
            "version_id": version_id, "version_rules_num": len(body["rules"]), "description": body.get("description"),
            "permission_on_resource": "admin",
        }
        return Reply(200, json.dumps(answer).encode())

    def _subscription(self) -> dict:
        return {
            "tier": "creator", "character_count": self.characters_used, "character_limit": self.character_limit,
            "can_extend_character_limit": False, "allowed_to_extend_character_limit": False,
            "voice_slots_used": 1, "professional_voice_slots_used": 0, "professional_voice_slots_used_in_workspace": 0,
            "voice_limit": 30, "voice_add_edit_counter": 0, "professional_voice_limit": 1,
            "can_extend_voice_limit": False, "can_use_instant_voice_cloning": True,
            "can_use_professional_voice_cloning": True, "status": "active", "open_invoices": [],
            "has_open_invoices": False,
        }
