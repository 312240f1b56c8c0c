"""`POST /name-preview`: Santa's greeting with the child's name, as the video will say it, before the order is sent.

Limited per client address (SANTA_PREVIEW_PER_MINUTE) and, for all intake processes together, in characters billed
per UTC day (SANTA_PREVIEW_MAX_CHARACTERS_PER_DAY); a preview heard before comes from the audio cache and bills
nothing, so it plays past the cap. The name is never logged. A refusal is in English unless `?lang=` asks for the
language of the page the preview is heard on.
"""

import json
import logging
from collections.abc import Callable

import dagster as dg
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from santa_videos.intake_http.language import SWITCH_PARAMETER
from santa_videos.intake_http.limits import RateLimiter
from santa_videos.intake_http.messages import translate_all
from santa_videos.orders.model import OrderInvalid
from santa_videos.previews.greeting import PreviewBudgetSpent
from santa_videos.previews.request import parse_preview
from santa_videos.previews.service import NamePreviews
from santa_videos.settings import Settings

ORDER_ID_HEADER = "Santa-Order-Id"
NAME_SOURCE_HEADER = "Santa-Name-Source"
NO_VOICE = "Santa's voice cannot be reached right now; please try again in a few minutes"

logger = logging.getLogger(__name__)


def _refusal(status_code: int, errors: list[str], headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status_code, headers=headers)


def name_preview_endpoint(settings: Settings, secret_required: bool, authenticated: Callable[[Request], bool],
                          secret_header: str):
    limiter = RateLimiter(settings.preview_per_minute)
    previews = NamePreviews(settings)

    async def name_preview(request: Request) -> Response:
        language = request.query_params.get(SWITCH_PARAMETER, "en")

        def _errors(status_code: int, errors: list[str], headers: dict | None = None) -> JSONResponse:
            return _refusal(status_code, translate_all(errors, language), headers)

        if secret_required and not authenticated(request):
            return _errors(401, [f"the {secret_header} header is missing or wrong"])
        if not authenticated(request):
            wait = limiter.take(request.client.host if request.client else "unknown")
            if wait:
                return _errors(429, [f"too many name previews from this address; try again in {wait:.0f} s"],
                               headers={"Retry-After": f"{wait:.0f}"})
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return _errors(415, ["send the name preview as application/json"])
        try:
            preview_request = parse_preview(json.loads(await request.body()))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return _errors(400, [f"the body is not valid JSON ({exc})"])
        except OrderInvalid as exc:
            return _errors(422, exc.errors)

        try:
            preview = await run_in_threadpool(previews.speak, preview_request)
        except PreviewBudgetSpent as exc:
            return _errors(429, [str(exc)], headers={"Retry-After": str(exc.retry_after)})
        except dg.Failure as exc:
            # The reasons name providers and their errors, never the text spoken.
            logger.warning("name preview not made: %s", exc.description)
            return _errors(503, [NO_VOICE], headers={"Retry-After": "60"})
        headers = {ORDER_ID_HEADER: preview_request.order_id, NAME_SOURCE_HEADER: preview.audio.name_source,
                   "Cache-Control": "no-store"}
        return Response(preview.wav, media_type="audio/wav", headers=headers)

    return name_preview
