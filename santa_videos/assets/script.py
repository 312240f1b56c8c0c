import time

import dagster as dg

from santa_videos.assets.steps import STEP_RETRY_POLICY, begin_step, step_folder
from santa_videos.media.files import write_json
from santa_videos.names.as_spoken import name_as_spoken
from santa_videos.script.lines import script_to_json, speech_plan, write_script
from santa_videos.script.sentences import plan_to_json
from santa_videos.partitions import video_partitions
from santa_videos.resources.media_store import MediaStore
from santa_videos.resources.names import NameLexicon
from santa_videos.resources.orders import OrdersResource


@dg.asset(partitions_def=video_partitions, group_name="videos", kinds={"python"}, retry_policy=STEP_RETRY_POLICY)
def script(
    context: dg.AssetExecutionContext, orders: OrdersResource, media: MediaStore, names: NameLexicon,
) -> dg.MaterializeResult:
    """Santa's lines for the order, from the templates of its language: captions with the name as spelled,
    speech with the name as said (the order's phonetic spelling, else the shop's name lexicon, else the spelling);
    and the speech plan every later step reads: each sentence, shared by every order that says it or the order's
    own."""
    order = begin_step(context, orders)
    started = time.monotonic()
    lexicon = names.lexicon()
    said = name_as_spoken(order, lexicon)
    lines = write_script(order.order_id, order.child_name, said.spoken, order.age, order.language, order.mentions)
    plan = speech_plan(lines, order.language)
    with step_folder(context, media, "script") as work:
        # The name as said is the child's data: it goes with the order's media, never into the event log.
        plan_json = {**plan_to_json(order.language, plan), "name": said.as_json()}
        work.publish("plan.json", write_json(work.dir / "plan.json", plan_json))
        path = work.publish("script.json", write_json(work.dir / "script.json", script_to_json(lines)))
    spoken = " ".join(line.spoken for line in lines)
    personal = [sentence for sentence in plan if not sentence.shared]
    return dg.MaterializeResult(
        metadata={
            "language": order.language,
            "lines": len(lines),
            "characters": len(spoken),
            "words": len(spoken.split()),
            "mentions": len(order.mentions),
            "spoken_name_source": said.source,
            "lexicon_entries": len(lexicon),
            "sentences": len(plan),
            "sentences_personal": len(personal),
            "characters_personal": sum(len(sentence.text) for sentence in personal),
            "path": dg.MetadataValue.path(str(path)),
            "write_s": round(time.monotonic() - started, 3),
        }
    )
