"""The language a customer's pages are shown in: the one they chose with the page's switch (`?lang=`, kept in a
cookie), else the first of their browser's languages (Accept-Language, by q-value) that the pages speak, else
English. It is the page's language only: the video's language is a field of the order."""

from starlette.requests import Request
from starlette.responses import Response

PAGE_LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
SWITCH_PARAMETER = "lang"
COOKIE = "santa_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def chosen_language(request: Request) -> str | None:
    """The language picked with the switch: in this request's query, else in the cookie an earlier one set."""
    for choice in (request.query_params.get(SWITCH_PARAMETER), request.cookies.get(COOKIE)):
        if choice in PAGE_LANGUAGES:
            return choice
    return None


def page_language(request: Request) -> str:
    return chosen_language(request) or preferred_language(request.headers.get("accept-language", ""))


def preferred_language(accept_language: str) -> str:
    """The page language the browser ranks highest: `es-ES,es;q=0.9,en;q=0.8` gives es, `fr,en;q=0.5` gives en.
    A range with q=0 is refused; `*` stands for any language not named elsewhere."""
    ranges = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, parameters = part.partition(";")
        if tag.strip():
            ranges.append((-_quality(parameters), position, tag.strip().lower()))
    named = {tag.split("-")[0] for _quality, _position, tag in ranges}
    for negative_quality, _position, tag in sorted(ranges):
        if negative_quality == 0:
            break
        if tag == "*":
            remaining = [language for language in PAGE_LANGUAGES if language not in named]
            if remaining:
                return remaining[0]
        elif tag.split("-")[0] in PAGE_LANGUAGES:
            return tag.split("-")[0]
    return DEFAULT_LANGUAGE


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def remember_choice(request: Request, response: Response) -> Response:
    """A page reached through the switch keeps the choice for the next pages (the order's status among them)."""
    choice = request.query_params.get(SWITCH_PARAMETER)
    if choice in PAGE_LANGUAGES:
        response.set_cookie(COOKIE, choice, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax")
    return response
