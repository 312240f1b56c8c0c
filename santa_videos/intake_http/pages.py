"""The HTML a customer sees: the order form (with every problem listed above it) and the order's status page."""

from jinja2 import DictLoader, Environment

from santa_videos.orders.model import LANGUAGES, MAX_MENTIONS
from santa_videos.script.catalog import CATALOG

LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# In the order the form offers them: the default first.
STRATEGY_NAMES = {"template": "Santa at the North Pole", "still": "A festive picture", "lipsync": "Santa speaking"}
EMPTY_FORM = {"language": "en", "strategy": "template"}
CATALOG_KINDS = [("achievement", "Good things this year"), ("wish", "Wishes")]

_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{% block head %}{% endblock %}<title>{% block title %}{% endblock %} · Santa videos</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { color: #b3001b; } label { display: block; margin-top: 1rem; font-weight: 600; }
input, select, textarea { width: 100%; padding: .4rem; font: inherit; box-sizing: border-box; }
small { color: #555; } button { margin-top: 1.5rem; padding: .6rem 1.4rem; font: inherit; }
#errors { background: #fde8e8; border: 1px solid #b3001b; padding: .5rem 1rem; }
.status { font-size: 1.4rem; font-weight: 700; } video { width: 100%; margin-top: 1rem; }
fieldset { margin-top: 1rem; border: 1px solid #ccc; } legend { font-weight: 600; }
.choices { display: grid; grid-template-columns: 1fr 1fr; gap: .15rem 1rem; }
.choices label { font-weight: 400; margin: 0; } .choices input { width: auto; }
</style></head>
<body>{% block body %}{% endblock %}</body></html>
"""

_FORM = """{% extends "layout" %}{% block title %}Order{% endblock %}{% block body %}
<h1>A video message from Santa</h1>
{% if errors %}<div id="errors" role="alert"><p>Please fix these and send the order again:</p>
<ul>{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul></div>{% endif %}
<form method="post" action="/orders" enctype="multipart/form-data">
<label for="child_name">Child's name</label>
<input id="child_name" name="child_name" value="{{ values.child_name }}" maxlength="40" required>
<label for="age">Age</label>
<input id="age" name="age" type="number" min="0" max="17" value="{{ values.age }}" required>
<label for="language">Language</label>
<select id="language" name="language">{% for code in languages %}
<option value="{{ code }}"{% if values.language == code %} selected{% endif %}>{{ language_names[code] }}</option>{% endfor %}
</select>
<label for="phonetic_name">How to say the name <small>(optional, if the spelling misleads)</small></label>
<input id="phonetic_name" name="phonetic_name" value="{{ values.phonetic_name }}" maxlength="40">
<fieldset id="catalog"><legend>What Santa should mention <small>(at most {{ max_mentions }} in all)</small></legend>
{% for kind, heading in kinds %}<p><small>{{ heading }}</small></p><div class="choices">{% for item in catalog if item.kind == kind %}
<label><input type="checkbox" name="mentions" value="{{ item.key }}"{% if item.key in chosen %} checked{% endif %}> {{ item.labels.en }}</label>{% endfor %}
</div>{% endfor %}
<label for="mentions">In your own words <small>(one per line; to the child, "you shared your toys", or about them)</small></label>
<textarea id="mentions" name="mentions" rows="4">{{ own_words }}</textarea></fieldset>
<label for="strategy">Style</label>
<select id="strategy" name="strategy">{% for code, name in strategy_names.items() %}
<option value="{{ code }}"{% if values.strategy == code %} selected{% endif %}>{{ name }}</option>{% endfor %}
</select>
<label for="deadline">Needed by <small>(optional)</small></label>
<input id="deadline" name="deadline" type="date" value="{{ values.deadline }}">
<label for="photo">A photo of the child <small>(optional; JPEG or PNG, at most {{ photo_mb }} MB)</small></label>
<input id="photo" name="photo" type="file" accept="image/jpeg,image/png">
<button type="submit">Order the video</button>
</form>{% endblock %}
"""

_STATUS = """{% extends "layout" %}
{% block head %}{% if not final %}<meta http-equiv="refresh" content="{{ refresh_seconds }}">{% endif %}{% endblock %}
{% block title %}Your order{% endblock %}{% block body %}
<h1>Your video from Santa</h1>
<p>Order <code id="order-id">{{ order.order_id }}</code></p>
<p class="status">Status: <span id="status">{{ order.status }}</span></p>
<p id="explanation">{{ explanation }}</p>
{% if ready_at %}<p>Santa expects it to be ready by <time id="ready-at" datetime="{{ order.estimated_ready_at }}">{{ ready_at }}</time>.</p>{% endif %}
{% if order.video_url %}<p><a id="video-link" href="{{ order.video_url }}">Watch or download the video</a></p>
<video controls preload="none" src="{{ order.video_url }}"{% if order.thumbnail_url %} poster="{{ order.thumbnail_url }}"{% endif %}></video>{% endif %}
{% if not final %}<p><small>This page refreshes itself every {{ refresh_seconds }} seconds.</small></p>{% endif %}
{% endblock %}
"""

_SERVER_ONLY = """{% extends "layout" %}{% block title %}Orders{% endblock %}{% block body %}
<h1>Santa videos</h1><p>Orders are placed through the shop's website.</p>{% endblock %}
"""

EXPLANATIONS = {
    "received": "We have your order. Santa will start on it shortly.",
    "rendering": "Santa is recording your video right now.",
    "delivered": "Your video is ready.",
    "failed": "",
}
REFRESH_SECONDS = 3

_environment = Environment(
    loader=DictLoader({"layout": _LAYOUT, "form": _FORM, "status": _STATUS, "server_only": _SERVER_ONLY}),
    autoescape=True,
)


def order_form(values: dict, errors: list[str], photo_max_bytes: int) -> str:
    # The form sends catalog choices and the textarea's lines under one name: show each where it came from.
    mentions = values.get("mentions", "").splitlines()
    chosen = {line for line in mentions if line in CATALOG}
    return _environment.get_template("form").render(
        values=values, errors=errors, languages=LANGUAGES, language_names=LANGUAGE_NAMES,
        strategy_names=STRATEGY_NAMES, max_mentions=MAX_MENTIONS,
        photo_mb=photo_max_bytes // (1024 * 1024), catalog=CATALOG.values(), kinds=CATALOG_KINDS, chosen=chosen,
        own_words="\n".join(line for line in mentions if line not in CATALOG),
    )


def status_page(order: dict) -> str:
    final = order["status"] in ("delivered", "failed")
    explanation = order.get("reason") or EXPLANATIONS.get(order["status"], "")
    ready = order.get("estimated_ready_at")
    ready_at = ready.replace("T", " ").replace("Z", " UTC") if ready else None
    return _environment.get_template("status").render(
        order=order, final=final, explanation=explanation, refresh_seconds=REFRESH_SECONDS, ready_at=ready_at,
    )


def server_only_page() -> str:
    return _environment.get_template("server_only").render()
