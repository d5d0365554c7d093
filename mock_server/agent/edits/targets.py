"""Which items of the main video a clause points at, and words shared by the new edits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nemo_mock.mock_server.agent.edit_arrange import item_label
from nemo_mock.mock_server.agent.edit_types import Reply, Work
from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.references import SegmentRef, find_kind_mention, find_refs, resolve
from nemo_mock.mock_server.agent.wording import Language, say
from nemo_mock.mock_server.domain.drafts import Segment

_WHOLE = re.compile(
    r"\b(?:video|it|everything|all|whole|every)\b|整个|全部|所有|视频(?!片段)", re.I
)


@dataclass(frozen=True)
class Items:
    """The main video track's index and segments, and the indices the clause chose."""

    track: int
    segments: list[Segment]
    chosen: list[int]
    kinds: list[str]
    label: str  # "the second clip", "the whole video" (in the session's language)

    @property
    def whole(self) -> bool:
        return len(self.chosen) == len(self.segments)


def pointed_items(op: EditOp, work: Work, *, mention: bool = True) -> Items | Reply:
    """Items named by ordinal ("the second clip", "第二个片段"), else every item."""
    video = work.video()
    if video is None:
        return Reply(say("nothing_to_edit", work.lang))
    index, segments = video
    kinds = work.kinds(segments)
    refs = find_refs(op.clause)
    if not refs and mention and not _WHOLE.search(op.clause):
        found = find_kind_mention(op.clause)
        if found is not None and "视频片段" in op.clause:
            found = SegmentRef(0, "clip", found.at)
        usable = found is not None and found.kind != "any" and kinds.count(found.kind) == 1
        refs = [found] if found is not None and usable else []
    if not refs:
        return Items(index, segments, list(range(len(segments))), kinds, whole_label(work.lang))
    chosen = sorted({i for ref in refs if (i := resolve(ref, kinds)) is not None})
    if not chosen:
        return Reply(say("no_such_segment", work.lang, count=len(segments)))
    labels = [item_label(segments[i], kinds[i], work.lang) for i in chosen]
    return Items(index, segments, chosen, kinds, join_labels(labels, work.lang))


def whole_label(lang: Language) -> str:
    return "整个视频" if lang == "zh" else "the whole video"


def join_labels(labels: list[str], lang: Language) -> str:
    return ("、" if lang == "zh" else " and ").join(labels)
