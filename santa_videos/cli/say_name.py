"""`santa-videos say-name NAME --language LANG`: Santa's greeting with a name, as a video (and the intake's name
preview) would say it, written to a WAV file and optionally played."""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from santa_videos.cli.help import EXAMPLE_ORDER_ID, add_command
from santa_videos.orders.model import LANGUAGES

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
DEFAULT_OUT = "name-preview.wav"
SOURCE_WORDS = {"order": "the respelling given (--say-as)", "lexicon": "the name lexicon",
                "spelling": "the spelling (the lexicon does not know it)"}
# Players tried in turn; each plays the file and returns when it ends.
PLAYERS = [["aplay", "-q"], ["ffplay", "-nodisp", "-autoexit", "-loglevel", "error"]]


def play(path: Path) -> str:
    """Play `path` with the first player installed; what went wrong ('' when nothing did)."""
    for command in PLAYERS:
        if shutil.which(command[0]):
            code = subprocess.run([*command, str(path)], check=False).returncode
            return f"{command[0]} could not play it (exit code {code}; is there a sound device?)" if code else ""
    return "cannot play it: neither aplay nor ffplay is installed"


def cmd_say_name(args: argparse.Namespace) -> int:
    import dagster as dg

    from santa_videos.instance_home import require_orders_table
    from santa_videos.orders.model import OrderInvalid
    from santa_videos.previews.greeting import PreviewBudgetSpent
    from santa_videos.previews.request import parse_preview
    from santa_videos.previews.service import NamePreviews
    from santa_videos.settings import load_settings

    fields = {"child_name": args.name, "language": args.language, "phonetic_name": args.say_as,
              "order_id": args.order_id}
    try:
        request = parse_preview({key: value for key, value in fields.items() if value is not None})
    except OrderInvalid as exc:
        print("Nothing was said:", *(f"  - {error}" for error in exc.errors), sep="\n", file=sys.stderr)
        return EXIT_BAD_INPUT
    require_orders_table("say-name")
    try:
        preview = NamePreviews(load_settings()).speak(request)
    except PreviewBudgetSpent as exc:
        print(f"santa-videos say-name: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except dg.Failure as exc:
        print(f"santa-videos say-name: {exc.description}", file=sys.stderr)
        return EXIT_FAILED
    out = Path(args.out)
    out.write_bytes(preview.wav)
    audio = preview.audio
    print(f"the name as spoken comes from {SOURCE_WORDS[audio.name_source]}")
    print(f"wrote {out} ({audio.provider}; {audio.sentences_cached} of {audio.sentences} sentences from the audio "
          f"cache, {audio.characters_billed} characters billed) for order id {request.order_id}")
    problem = play(out) if args.play else ""
    if problem:
        print(f"santa-videos say-name: {problem}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def register(commands) -> None:
    say = add_command(
        commands, "say-name", help="hear Santa greet a child by name, as the video will",
        description="Write Santa's greeting with NAME to a WAV file, as the order's video will say it: the "
        "greeting the order id picks, in the voice, model, settings and name lexicon a run uses, through the same "
        "audio cache, so an order sent afterwards with the same name and order id pays nothing more for it. "
        "Prints where the name as spoken comes from: the respelling given with --say-as (an order's "
        "phonetic_name), the name lexicon (SANTA_NAME_LEXICON), or the spelling. Without --order-id a new one is "
        "made and printed: send the order with it. New speech counts against the name previews' daily budget "
        "(SANTA_PREVIEW_MAX_CHARACTERS_PER_DAY), as the intake's POST /name-preview does.",
        examples=["santa-videos say-name Siobhán --language en",
                  "santa-videos say-name Siobhán --language en --say-as Shi-vawn --play",
                  f"santa-videos say-name Xochitl --language es --order-id {EXAMPLE_ORDER_ID} --out xochitl.wav"],
    )
    say.add_argument("name", help="the child's name as spelled")
    say.add_argument("--language", choices=list(LANGUAGES), required=True)
    say.add_argument("--say-as", help="how to say it, if the spelling misleads (an order's phonetic_name)")
    say.add_argument("--order-id", help="the id the order will be sent with (its greeting depends on it)")
    say.add_argument("--out", default=DEFAULT_OUT, help=f"the WAV file to write (default {DEFAULT_OUT})")
    say.add_argument("--play", action="store_true", help="play it with aplay or ffplay")
    say.set_defaults(handler=cmd_say_name)
