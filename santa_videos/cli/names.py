"""`santa-videos names list/add/remove/check`: the shop's name lexicon (SANTA_NAME_LEXICON), and what Santa says."""

import argparse
import json
import sys

from santa_videos.cli.help import add_command
from santa_videos.names.lexicon import Lexicon, LexiconEntry, LexiconError, entry_problems, spoken_name
from santa_videos.names.location import LexiconLocation, LexiconUnwritable, configured_location
from santa_videos.orders.model import LANGUAGES

EXIT_BAD_INPUT = 2
SOURCE_WORDS = {"order": "the order's phonetic name", "lexicon": "the name lexicon", "spelling": "the spelling"}


def _location() -> LexiconLocation:
    return LexiconLocation(configured_location())


def _refuse(message: str) -> int:
    print(f"santa-videos names: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_list(args: argparse.Namespace) -> int:
    entries = [entry for entry in _location().load() if args.language in (None, entry.language)]
    if args.csv:
        sys.stdout.write(Lexicon(entries).to_csv())
    elif args.json:
        print(json.dumps([entry.as_json() for entry in entries], ensure_ascii=False, indent=2))
    else:
        for entry in entries:
            print(f"{entry.language}  {entry.name:<16} {entry.say_as:<18} {entry.ipa}".rstrip())
        print(f"{len(entries)} entries in {_location().describe()}", file=sys.stderr)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    location = _location()
    entry = LexiconEntry(args.name.strip(), args.language, args.say_as.strip(), args.ipa.strip(), args.kirshenbaum.strip())
    problems = entry_problems(entry)
    if problems:
        return _refuse("; ".join(problems))
    lexicon = location.load()
    replaced = lexicon.find(entry.name, entry.language)
    location.write(lexicon.with_entry(entry))
    verb = "replaced" if replaced else "added"
    print(f"{verb} {entry.name} ({entry.language}): Santa says {entry.say_as!r}; {location.describe()} has "
          f"{len(lexicon) + (0 if replaced else 1)} entries")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    location = _location()
    lexicon = location.load()
    if lexicon.find(args.name, args.language) is None:
        return _refuse(f"{args.name} ({args.language}) is not in {location.describe()}")
    location.write(lexicon.without(args.name, args.language))
    print(f"removed {args.name} ({args.language}); Santa now says it as it is spelled unless an order says otherwise")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    location = _location()
    lexicon = location.load()
    said, source = spoken_name(args.name, args.phonetic_name, args.language, lexicon)
    entry = lexicon.find(args.name, args.language)
    found = {"name": args.name, "language": args.language, "spoken": said, "source": source,
             "lexicon": location.describe(), "ipa": entry.ipa if entry and source == "lexicon" else "",
             "kirshenbaum": entry.kirshenbaum if entry and source == "lexicon" else ""}
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    where = f" ({location.describe()})" if source == "lexicon" else ""
    print(f"Santa says {said!r} for {args.name!r} in {args.language}, from {SOURCE_WORDS[source]}{where}")
    if found["ipa"]:
        print(f"  ElevenLabs phoneme models read IPA /{found['ipa']}/")
    if found["kirshenbaum"]:
        print(f"  espeak-ng reads [[{found['kirshenbaum']}]]")
    return 0


def _guarded(handler):
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (LexiconError, LexiconUnwritable, FileNotFoundError) as exc:
            return _refuse(str(exc))

    return run


def register(commands) -> None:
    names = add_command(
        commands, "names", help="the shop's name lexicon: how Santa says names voices get wrong",
        description="The name lexicon is a CSV file (name,language,say_as[,ipa][,kirshenbaum]) named by "
        "SANTA_NAME_LEXICON, a path or media:KEY in the media store; unset, the starter lexicon shipped with "
        "santa-videos, which is read-only (copy it with `santa-videos names list --csv > names.csv` and point "
        "SANTA_NAME_LEXICON at the copy). An order's phonetic name wins over the lexicon; a name the lexicon does "
        "not know is said as it is spelled. A change takes effect with the next run.",
        examples=["santa-videos names check Niamh --language en", "santa-videos names list --language es"],
    )
    actions = names.add_subparsers(dest="names_command", required=True, metavar="ACTION")
    listing = add_command(
        actions, "list", help="every entry: language, name, respelling, IPA",
        description="List the lexicon's entries, by language then name.",
        examples=["santa-videos names list --language en", "santa-videos names list --csv"],
    )
    listing.add_argument("--language", choices=list(LANGUAGES), help="one language only")
    shape = listing.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print a JSON list")
    shape.add_argument("--csv", action="store_true", help="print the lexicon as CSV (a copy to edit)")
    listing.set_defaults(handler=_guarded(cmd_list))

    adding = add_command(
        actions, "add", help="add an entry, or replace the one for the same name and language",
        description="Add or replace an entry in the file SANTA_NAME_LEXICON names. Write the respelling for the "
        "voice of its language: English spelling for en, Spanish for es. IPA is read by ElevenLabs' English "
        "phoneme models only; Kirshenbaum mnemonics by espeak-ng.",
        examples=["santa-videos names add Niamh --language en --say-as Neeve --ipa niːv",
                  "santa-videos names add Xochitl --language es --say-as Sóchil"],
    )
    adding.add_argument("name")
    adding.add_argument("--language", choices=list(LANGUAGES), required=True)
    adding.add_argument("--say-as", required=True, help="the respelling the voice reads")
    adding.add_argument("--ipa", default="", help="the name in IPA (English entries only)")
    adding.add_argument("--kirshenbaum", default="", help="espeak-ng phoneme mnemonics, without [[ ]]")
    adding.set_defaults(handler=_guarded(cmd_add))

    removing = add_command(
        actions, "remove", help="remove the entry for a name and language",
        description="Remove an entry from the file SANTA_NAME_LEXICON names.",
        examples=["santa-videos names remove Niamh --language en"],
    )
    removing.add_argument("name")
    removing.add_argument("--language", choices=list(LANGUAGES), required=True)
    removing.set_defaults(handler=_guarded(cmd_remove))

    checking = add_command(
        actions, "check", help="what Santa will say for a name, and where that comes from",
        description="Print what Santa will say for NAME in a language and where it comes from: the order's "
        "phonetic name (give it with --phonetic-name), the lexicon, or the spelling.",
        examples=["santa-videos names check Siobhán --language en", "santa-videos names check Nguyen --language es --json"],
    )
    checking.add_argument("name")
    checking.add_argument("--language", choices=list(LANGUAGES), required=True)
    checking.add_argument("--phonetic-name", help="the order's own phonetic spelling, if it gives one")
    checking.add_argument("--json", action="store_true", help="print the answer as JSON")
    checking.set_defaults(handler=_guarded(cmd_check))
