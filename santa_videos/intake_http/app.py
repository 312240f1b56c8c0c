"""The order intake a landing page posts to: a small Starlette app over the orders table and the media store.

JSON in, JSON out for shops posting server to server; the HTML form at `/` posts the same fields as a multipart
form and gets HTML back. Orders it accepts are queued exactly like `santa-videos submit` queues them.
"""

import hashlib
import hmac
import json

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from santa_videos.intake_http import pages
from santa_videos.intake_http.language import page_language, remember_choice
from santa_videos.intake_http.limits import MAX_FORM_FIELDS_BYTES, BodySizeLimit, BodyTooLarge, RateLimiter
from santa_videos.intake_http.orders import IntakeStore, public_status
from santa_videos.intake_http.previews import name_preview_endpoint
from santa_videos.intake_http.photos import PhotoInvalid, reencode_photo
from santa_videos.orders.ids import is_order_id, new_order_id
from santa_videos.orders.estimates import estimate, unreachable_deadlines
from santa_videos.orders.model import LANGUAGES, OrderInvalid, parse_order
from santa_videos.orders.queueing import OrderConflict
from santa_videos.script.catalog import catalog_document
from santa_videos.settings import Settings

SECRET_HEADER = "X-Santa-Intake-Secret"
MAX_JSON_BYTES = 16 * 1024
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _errors(status_code: int, errors: list[str], headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status_code, headers=headers)


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _wants_json(request: Request) -> bool:
    """A shop's server posting a form (to send a photo) asks for JSON; a browser asks for HTML."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


async def _read_form(request: Request) -> tuple[dict, dict, bytes | None]:
    """(fields for the Order model, the values to show again in the form, the photo's bytes or None)."""
    form = await request.form(max_files=1, max_fields=20, max_part_size=MAX_FORM_FIELDS_BYTES)
    fields, photo = {}, None
    for key in set(form.keys()):
        values = form.getlist(key)
        if key == "photo":
            upload = values[0]
            if isinstance(upload, UploadFile):
                data = await upload.read()
                photo = data if data or upload.filename else None
            continue
        if any(isinstance(value, UploadFile) for value in values):
            fields[key] = "a file was sent where text belongs"
        elif key == "mentions":
            # A textarea holds one mention a line; a shop may also repeat the field.
            fields[key] = [line.strip() for value in values for line in value.splitlines() if line.strip()]
        elif values[0].strip():
            # An empty input is a field left out, as an empty CSV cell is.
            fields[key] = values[0]
    shown = {key: "\n".join(value) if isinstance(value, list) else value for key, value in fields.items()}
    return fields, shown, photo


def create_app(settings: Settings, shared_secret: str | None = None) -> Starlette:
    store = IntakeStore(settings)
    limiter = RateLimiter(settings.intake_orders_per_minute)

    def authenticated(request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return bool(shared_secret) and hmac.compare_digest(given.encode(), shared_secret.encode())

    def form_page(request: Request, values: dict, errors: list[str], status_code: int = 200) -> Response:
        page = pages.order_form(values, errors, settings.intake_photo_max_bytes, page_language(request))
        return remember_choice(request, HTMLResponse(page, status_code=status_code))

    async def home(request: Request) -> Response:
        language = page_language(request)
        if shared_secret:
            return remember_choice(request, HTMLResponse(pages.server_only_page(language)))
        return form_page(request, pages.empty_form(language), [])

    async def create_order(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        as_form = content_type in FORM_TYPES
        if shared_secret and not authenticated(request):
            return _errors(401, [f"the {SECRET_HEADER} header is missing or wrong"])
        if not authenticated(request):
            wait = limiter.take(request.client.host if request.client else "unknown")
            if wait:
                return _errors(429, [f"too many orders from this address; try again in {wait:.0f} s"],
                               headers={"Retry-After": f"{wait:.0f}"})
        photo, shown = None, {}
        if as_form:
            fields, shown, photo = await _read_form(request)
        elif content_type == "application/json":
            body = await request.body()
            if len(body) > MAX_JSON_BYTES:
                return _errors(413, [f"the request is too large: at most {MAX_JSON_BYTES} bytes"])
            try:
                fields = json.loads(body)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                return _errors(400, [f"the body is not valid JSON ({exc})"])
        else:
            return _errors(415, ["send the order as application/json or as a form (multipart/form-data)"])

        errors, order, photo_sha256 = [], None, None
        try:
            order = parse_order(fields)
        except OrderInvalid as exc:
            errors.extend(exc.errors)
        if photo is not None:
            photo_sha256 = hashlib.sha256(photo).hexdigest()
            try:
                photo = await run_in_threadpool(
                    reencode_photo, photo, settings.intake_photo_max_bytes, settings.intake_photo_max_pixels
                )
            except PhotoInvalid as exc:
                errors.append(str(exc))
        if order is not None:
            errors.extend(why for _position, why in await run_in_threadpool(unreachable_deadlines, store.table, [order]))
        html = as_form and not _wants_json(request)
        if errors:
            if html:
                return form_page(request, shown, errors, status_code=422)
            return _errors(422, errors)

        try:
            created = await run_in_threadpool(store.queue, order, photo, photo_sha256)
        except OrderConflict as exc:
            (_position, _order_id, differing), = exc.conflicts
            if html:
                # Sent again from this form, the order would conflict again: the form offers it as a new order.
                return form_page(request, {**shown, "order_id": new_order_id()}, [str(exc)], status_code=409)
            return JSONResponse({"errors": [str(exc)], "conflicting_fields": differing}, status_code=409)
        status_url = str(request.url_for("order_status", order_id=order.order_id))
        if html:
            return RedirectResponse(status_url, status_code=303)
        return JSONResponse(
            {"order_id": order.order_id, "status": "received", "created": created, "status_url": status_url},
            status_code=201 if created else 200, headers={"Location": status_url},
        )

    async def order_status(request: Request) -> Response:
        order_id = request.path_params["order_id"]
        record = await run_in_threadpool(store.find, order_id) if is_order_id(order_id) else None
        if record is None:
            if _wants_html(request):
                return HTMLResponse(pages.not_found_page(page_language(request)), status_code=404)
            return _errors(404, [f"no order with id {order_id}"])
        expected = await run_in_threadpool(estimate, store.table, record)
        status = public_status(record, await run_in_threadpool(store.delivered_video, record), expected.ready_at, request)
        if not _wants_html(request):
            return JSONResponse(status)
        page = pages.status_page(status, page_language(request), request.url.path)
        return remember_choice(request, HTMLResponse(page))

    def delivered_file(kind: str, media_type: str):
        async def serve(request: Request) -> Response:
            order_id = request.path_params["order_id"]
            record = await run_in_threadpool(store.find, order_id) if is_order_id(order_id) else None
            found = await run_in_threadpool(store.delivered_file, record, kind) if record else None
            if found is None:
                return _errors(404, ["no delivered video with this id"])
            if found.url:
                # The object store serves it (range requests included); the link expires, so the redirect is
                # never cached.
                return RedirectResponse(found.url, status_code=307, headers={"Cache-Control": "no-store"})
            return FileResponse(found.path, media_type=media_type, headers={"Cache-Control": "private, max-age=3600"})
        return serve

    async def catalog(request: Request) -> Response:
        language = request.query_params.get("language")
        if language is not None and language not in LANGUAGES:
            return _errors(400, [f"language must be one of {', '.join(LANGUAGES)} (got {language!r})"])
        # Public and the same for everyone: any landing page may read it from the browser.
        return JSONResponse(catalog_document(language),
                            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=3600"})

    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return _errors(413, [f"the request is too large: at most {exc.limit} bytes"])

    return Starlette(
        routes=[
            Route("/", home, methods=["GET"]),
            Route("/orders", create_order, methods=["POST"]),
            Route("/catalog", catalog, methods=["GET"]),
            Route("/name-preview", name_preview_endpoint(settings, bool(shared_secret), authenticated, SECRET_HEADER),
                  methods=["POST"]),
            Route("/orders/{order_id}", order_status, methods=["GET"], name="order_status"),
            Route("/videos/{order_id}.mp4", delivered_file("video", "video/mp4"), methods=["GET"], name="video"),
            Route("/videos/{order_id}.jpg", delivered_file("thumbnail", "image/jpeg"), methods=["GET"], name="thumbnail"),
        ],
        middleware=[Middleware(BodySizeLimit, text_bytes=MAX_JSON_BYTES, photo_bytes=settings.intake_photo_max_bytes)],
        exception_handlers={BodyTooLarge: too_large},
    )
