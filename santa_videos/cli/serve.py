"""`santa-videos serve-intake`: the HTTP order intake a landing page or a shop's server posts orders to."""

import argparse
import os
import sys

from santa_videos.cli.help import add_command
from santa_videos.instance_home import require_orders_table
from santa_videos.settings import load_settings

DEFAULT_PORT = 8080


def cmd_serve_intake(args: argparse.Namespace) -> int:
    import uvicorn

    from santa_videos.intake_http import create_app

    require_orders_table("serve-intake")
    settings = load_settings()
    secret = os.environ.get("SANTA_INTAKE_SECRET", "").strip() or None
    app = create_app(settings, shared_secret=secret)
    mode = "server-to-server only (shared secret set)" if secret else "order form at /"
    print(f"order intake on http://{args.host}:{args.port} ({mode}); orders go to {settings.orders_db_url}",
          file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, server_header=False)
    return 0


def register(commands) -> None:
    serve = add_command(
        commands, "serve-intake",
        help="serve the HTTP order intake (order form, POST /orders, name previews, order status, videos)",
        description="Serve the order intake: an order form at /, POST /orders (JSON or a form, optional photo), "
        "POST /name-preview (Santa's greeting with the child's name, as WAV, before ordering), "
        "GET /orders/ORDER_ID (status; HTML for browsers, JSON otherwise) and the delivered videos at "
        "/videos/ORDER_ID.mp4. Bound to 127.0.0.1 by default: put a TLS reverse proxy in front to publish it. "
        "SANTA_INTAKE_SECRET, when set, makes POST /orders and POST /name-preview require the "
        "X-Santa-Intake-Secret header (for shops that post from their server; the form is then not offered). "
        "SANTA_INTAKE_ORDERS_PER_MINUTE caps orders per client address (default 10), SANTA_PREVIEW_PER_MINUTE name "
        "previews (default 10) and SANTA_PREVIEW_MAX_CHARACTERS_PER_DAY the speech previews may bill a day; "
        "SANTA_INTAKE_PHOTO_MAX_MB and SANTA_INTAKE_PHOTO_MAX_MEGAPIXELS cap photos.",
        examples=["santa-videos serve-intake", "santa-videos serve-intake --port 8081 --log-level warning"],
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"],
                       help="uvicorn's log level (default info)")
    serve.set_defaults(handler=cmd_serve_intake)
