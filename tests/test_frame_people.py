"""Frame people by class of wording: made-up documents, each line one way reports write it."""

from __future__ import annotations

import pytest

from rag.evidence import check_evidence
from rag.meeting.frame import extract
from rag.metadata import make_document


def frame_of(text: str):
    doc = make_document(text, "made_up.txt")
    frame = extract(doc)
    assert check_evidence(doc, frame) == []
    return frame


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # a person named with a post, then called by surname and post
        ("3月2日,柳河镇召开防汛会。镇党委副书记、镇长马晓丽通报了汛情。会上,马镇长要求各村落实巡查。",
         ["马晓丽"]),
        ("会议由县委副书记郑国平主持。县应急管理局副局长石*通报案例。郑书记作了讲话。",
         ["郑国平", "石*"]),
        # the post in brackets after the name, on a minutes field line
        ("时间:5月6日\n主持:向成林(镇党委副书记、镇长)\n\n会议听取汇报。向镇长要求各村抓好落实。",
         ["向成林"]),
    ],
)
def test_speakers_called_by_surname_and_post_are_one_person(text, speakers):
    assert sorted(p.name for p in frame_of(text).speakers) == sorted(speakers)
