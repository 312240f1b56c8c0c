"""The HTML a customer sees, in their page's language: the order form (with every problem listed above it and the
name preview beside the name) and the order's status page."""

from importlib.resources import files

from jinja2 import DictLoader, Environment

from santa_videos.intake_http.language import PAGE_LANGUAGES, SWITCH_PARAMETER
from santa_videos.intake_http.messages import translate, translate_all
from santa_videos.intake_http.wording import PREVIEW_WORDING, WORDING
from santa_videos.orders.ids import is_order_id, new_order_id
from santa_videos.orders.model import LANGUAGES, MAX_MENTIONS, Strategy
from santa_videos.script.catalog import CATALOG

# In the order the form offers them: the default first.
STRATEGIES = [Strategy.TEMPLATE, Strategy.STILL, Strategy.LIPSYNC]
CATALOG_KINDS = ("achievement", "wish")
SWITCH_NAMES = {"en": "English", "es": "Español"}
REFRESH_SECONDS = 3
PREVIEW_SCRIPT = files("santa_videos.intake_http").joinpath("name_preview.js").read_text(encoding="utf-8")

_LAYOUT = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{% block head %}{% endblock %}<title>{% block title %}{% endblock %} · {{ t.site }}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { color: #b3001b; } label { display: block; margin-top: 1rem; font-weight: 600; }
input, select, textarea { width: 100%; padding: .4rem; font: inherit; box-sizing: border-box; }
small { color: #555; } button { margin-top: 1.5rem; padding: .6rem 1.4rem; font: inherit; }
#errors, #preview-errors:not(:empty) { background: #fde8e8; border: 1px solid #b3001b; padding: .5rem 1rem .5rem 2rem; }
.status { font-size: 1.4rem; font-weight: 700; } video { width: 100%; margin-top: 1rem; }
fieldset { margin-top: 1rem; border: 1px solid #ccc; } legend { font-weight: 600; }
.choices { display: grid; grid-template-columns: 1fr 1fr; gap: .15rem 1rem; }
.choices label { font-weight: 400; margin: 0; } .choices input { width: auto; }
#language-switch { text-align: right; font-size: .9rem; } #language-switch [aria-current] { font-weight: 700; }
#name-preview button { margin-top: .5rem; padding: .3rem .9rem; } #preview-audio { display: block; width: 100%; }
#preview-note { color: #333; margin: .4rem 0; }
</style></head>
<body><nav id="language-switch" aria-label="{{ t.switch_label }}">{% for code in page_languages %}
{% if not loop.first %} · {% endif %}<a href="{{ page_path }}?{{ switch_parameter }}={{ code }}" hreflang="{{ code }}" lang="{{ code }}"
{%- if code == lang %} aria-current="true"{% endif %}>{{ switch_names[code] }}</a>{% endfor %}</nav>
{% block body %}{% endblock %}</body></html>
"""

_FORM = """{% extends "layout" %}{% block title %}{{ t.form_title }}{% endblock %}{% block body %}
<h1>{{ t.form_heading }}</h1>
{% if errors %}<div id="errors" role="alert"><p>{{ t.fix_these }}</p>
<ul>{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul></div>{% endif %}
<form method="post" action="/orders" enctype="multipart/form-data">
<input type="hidden" name="order_id" value="{{ values.order_id }}">
<label for="child_name">{{ t.child_name }}</label>
<input id="child_name" name="child_name" value="{{ values.child_name }}" maxlength="40" required>
<label for="age">{{ t.age }}</label>
<input id="age" name="age" type="number" min="0" max="17" value="{{ values.age }}" required>
<label for="language">{{ t.video_language }}</label>
<select id="language" name="language">{% for code in languages %}
<option value="{{ code }}"{% if values.language == code %} selected{% endif %}>{{ t.video_languages[code] }}</option>{% endfor %}
</select>
<label for="phonetic_name">{{ t.phonetic_name }} <small>{{ t.phonetic_name_hint }}</small></label>
<input id="phonetic_name" name="phonetic_name" value="{{ values.phonetic_name }}" maxlength="40">
<div id="name-preview"><button type="button" id="preview-button">{{ t.preview_button }}</button>
<p id="preview-note" aria-live="polite"></p><ul id="preview-errors" role="alert"></ul>
<audio id="preview-audio" controls hidden></audio></div>
<fieldset id="catalog"><legend>{{ t.mentions }} <small>{{ t.mentions_hint.format(count=max_mentions) }}</small></legend>
{% for kind in kinds %}<p><small>{{ t.kinds[kind] }}</small></p><div class="choices">{% for item in catalog if item.kind == kind %}
<label><input type="checkbox" name="mentions" value="{{ item.key }}"{% if item.key in chosen %} checked{% endif %}> {{ item.labels[lang] }}</label>{% endfor %}
</div>{% endfor %}
<label for="mentions">{{ t.own_words }} <small>{{ t.own_words_hint }}</small></label>
<textarea id="mentions" name="mentions" rows="4">{{ own_words }}</textarea></fieldset>
<label for="strategy">{{ t.strategy }}</label>
<select id="strategy" name="strategy">{% for code in strategies %}
<option value="{{ code }}"{% if values.strategy == code %} selected{% endif %}>{{ t.strategies[code] }}</option>{% endfor %}
</select>
<label for="deadline">{{ t.deadline }} <small>{{ t.deadline_hint }}</small></label>
<input id="deadline" name="deadline" type="date" value="{{ values.deadline }}">
<label for="photo">{{ t.photo }} <small>{{ t.photo_hint.format(megabytes=photo_mb) }}</small></label>
<input id="photo" name="photo" type="file" accept="image/jpeg,image/png">
<button type="submit">{{ t.submit }}</button>
</form>
<script type="application/json" id="preview-wording">{{ preview_wording|tojson }}</script>
<script>{{ preview_script|safe }}</script>{% endblock %}
"""

_STATUS = """{% extends "layout" %}
{% block head %}{% if not final %}<meta http-equiv="refresh" content="{{ refresh_seconds }}">{% endif %}{% endblock %}
{% block title %}{{ t.status_title }}{% endblock %}{% block body %}
<h1>{{ t.status_heading }}</h1>
<p>{{ t.order }} <code id="order-id">{{ order.order_id }}</code></p>
<p class="status">{{ t.status }} <span id="status" data-status="{{ order.status }}">{{ t.statuses.get(order.status, order.status) }}</span></p>
<p id="explanation">{{ explanation }}</p>
{% if ready_at %}<p>{{ t.ready_by }} <time id="ready-at" datetime="{{ order.estimated_ready_at }}">{{ ready_at }}</time>.</p>{% endif %}
{% if order.video_url %}<p><a id="video-link" href="{{ order.video_url }}">{{ t.watch }}</a></p>
<video controls preload="none" src="{{ order.video_url }}"{% if order.thumbnail_url %} poster="{{ order.thumbnail_url }}"{% endif %}></video>{% endif %}
{% if not final %}<p><small>{{ t.refreshes.format(seconds=refresh_seconds) }}</small></p>{% endif %}
{% endblock %}
"""

_NOT_FOUND = """{% extends "layout" %}{% block title %}{{ t.no_such_order }}{% endblock %}{% block body %}
<h1>{{ t.no_such_order }}</h1>{% endblock %}
"""

_SERVER_ONLY = """{% extends "layout" %}{% block title %}{{ t.orders_title }}{% endblock %}{% block body %}
<h1>{{ t.site }}</h1><p>{{ t.server_only }}</p>{% endblock %}
"""

_environment = Environment(
    loader=DictLoader({"layout": _LAYOUT, "form": _FORM, "status": _STATUS, "not_found": _NOT_FOUND,
                       "server_only": _SERVER_ONLY}),
    autoescape=True,
)


def _render(template: str, language: str, page_path: str, **values) -> str:
    return _environment.get_template(template).render(
        lang=language, t=WORDING[language], page_path=page_path, page_languages=PAGE_LANGUAGES,
        switch_parameter=SWITCH_PARAMETER, switch_names=SWITCH_NAMES, **values,
    )


def empty_form(language: str) -> dict:
    """A new form: its own order id (the name preview and the order share it) and the video in the page's language."""
    return {"order_id": new_order_id(), "language": language if language in LANGUAGES else LANGUAGES[0],
            "strategy": Strategy.TEMPLATE.value}


def order_form(values: dict, errors: list[str], photo_max_bytes: int, language: str) -> str:
    """The form with what was typed and every problem in the page's language. It keeps the order id it was sent
    with, so the order stays the one the name preview spoke for; an id that is none is replaced."""
    if not is_order_id(values.get("order_id", "")):
        values = {**values, "order_id": new_order_id()}
    # The form sends catalog choices and the textarea's lines under one name: show each where it came from.
    mentions = values.get("mentions", "").splitlines()
    return _render(
        "form", language, "/", values=values, errors=translate_all(errors, language), languages=LANGUAGES,
        strategies=[strategy.value for strategy in STRATEGIES], max_mentions=MAX_MENTIONS,
        photo_mb=photo_max_bytes // (1024 * 1024), catalog=CATALOG.values(), kinds=CATALOG_KINDS,
        chosen={line for line in mentions if line in CATALOG},
        own_words="\n".join(line for line in mentions if line not in CATALOG),
        preview_wording=PREVIEW_WORDING[language], preview_script=PREVIEW_SCRIPT,
    )


def status_page(order: dict, language: str, page_path: str) -> str:
    final = order["status"] in ("delivered", "failed")
    reason = order.get("reason")
    explanation = translate(reason, language) if reason else WORDING[language]["explanations"].get(order["status"], "")
    ready = order.get("estimated_ready_at")
    ready_at = ready.replace("T", " ").replace("Z", " UTC") if ready else None
    return _render("status", language, page_path, order=order, final=final, explanation=explanation,
                   refresh_seconds=REFRESH_SECONDS, ready_at=ready_at)


def not_found_page(language: str) -> str:
    return _render("not_found", language, "/")


def server_only_page(language: str) -> str:
    return _render("server_only", language, "/")
