"""`santa-videos warm-cache --language LANG [--yes]`: make every shared sentence once, before the season."""

import argparse
import json

from santa_videos.cli.help import add_command
from santa_videos.orders.model import LANGUAGES


def cmd_warm_cache(args: argparse.Namespace) -> int:
    import dagster as dg

    from santa_videos.assets.warm_up import lipsync_bill, lipsync_offered, shared_sentences, warm_up_bill
    from santa_videos.definitions import build_definitions
    from santa_videos.instance_home import open_instance
    from santa_videos.settings import load_operations_settings, load_settings

    definitions = build_definitions(load_settings())
    operations = load_operations_settings()
    wanted = {name: definitions.resources[name] for name in ("voice", "audio_cache", "clips", "media")}
    with dg.build_resources(wanted) as resources:
        cache = resources.audio_cache.cache()
        bill = warm_up_bill(resources.voice, cache, args.language)
        clips = lipsync_bill(resources.clips, resources.media, resources.voice, cache, args.language) \
            if lipsync_offered(resources.clips) else None
    cost = bill.characters / 1000 * operations.cost_per_1k_characters.get(bill.provider, 0.0)
    plan = {"language": args.language, "provider": bill.provider, "voice": bill.voice, "sentences": bill.sentences,
            "missing": len(bill.missing), "characters_billed": bill.characters}
    if clips is not None:
        cost += (clips.generations * operations.cost_per_clip.get("higgsfield", 0.0)
                 + clips.seconds * operations.cost_per_second.get("higgsfield", 0.0))
        plan.update(lipsync_generations=clips.generations, lipsync_seconds=clips.seconds)
    plan["estimated_cost"] = round(cost, 2)
    if args.json:
        print(json.dumps(plan))
    else:
        print(f"{args.language}: {bill.sentences} shared sentences, {len(bill.missing)} not yet spoken by "
              f"{bill.provider} ({bill.voice}): {bill.characters} characters billed")
        if clips is not None:
            print(f"lip-sync: {clips.generations} shared clips not yet made: {clips.generations} generations, "
                  f"{clips.seconds} s billed")
        print(f"estimated cost: {cost:.2f}")
    if not bill.missing and not (clips and clips.generations):
        return 0
    if not args.yes:
        if not args.json:
            print("nothing was made: run again with --yes to make them")
        return 0
    with open_instance("warm-cache") as instance:
        result = dg.materialize([shared_sentences], partition_key=args.language, instance=instance,
                                resources=definitions.resources, raise_on_error=False)
    if not result.success:
        print("the warm-up failed; see the run in the Dagster UI")
        return 1
    (event,) = result.get_asset_materialization_events()
    made = {key: value.value for key, value in event.materialization.metadata.items()}
    if not args.json:
        print(f"made {made['made']} sentences, billed {made['characters_billed']} characters; "
              f"{made['lipsync_generations']} lip-sync generations, {made['lipsync_seconds_billed']} s billed")
    return 0


def register(commands) -> None:
    warm = add_command(
        commands, "warm-cache", examples=["santa-videos warm-cache --language en", "santa-videos warm-cache --language es --yes"],
        help="make every shared sentence of a language once, before the orders that share them",
        description="Santa's sentences that hold nothing of an order's own (the greetings, the ages, the catalog "
        "lines, the goodbyes) are spoken once and kept in the audio cache for every order, and, where lip-sync is "
        "offered (SANTA_CLIP_STRATEGIES with a Higgsfield key), lip-synced once and kept in the media store. This "
        "prints how many of a language's shared sentences are not yet made by the voice and lip-sync orders "
        "would use and what making them bills (ELEVENLABS_COST_PER_1K_CHARACTERS, HIGGSFIELD_COST_PER_CLIP, "
        "HIGGSFIELD_COST_PER_SECOND), and makes them only with --yes, by materializing the "
        "`shared_sentences` asset's partition for the language in the Dagster instance (the same as the UI's "
        "Materialize button).",
    )
    warm.add_argument("--language", choices=list(LANGUAGES), required=True, help="the language to warm")
    warm.add_argument("--yes", action="store_true", help="make (and pay for) the missing sentences")
    warm.add_argument("--json", action="store_true", help="print the estimate as one JSON line")
    warm.set_defaults(handler=cmd_warm_cache)
