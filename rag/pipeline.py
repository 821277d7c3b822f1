"""The one place that wires concrete backends together: store, vectors,
embeddings, retriever and answer engines. Everything above (CLI, UI,
evaluation) talks to a ``Pipeline``; everything below knows nothing of it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from typing import Any

from rag.cleaning import normalise_query, normalise_question, to_simplified
from rag.errors import IndexEmptyError, QuestionError
from rag.lexical import MEETING_WORDS
from rag.question import ADDRESSED, DATE, analyse, people, places, unresolved_reference
from rag.render import Refusal, merge_answers, refused
from rag.settings import Settings
from rag.store import DocStore
from rag.types import Answer, Document, Passage

# A follow-up leans on the previous turn: a pronoun, "that meeting", "also".
_FOLLOW_UP = re.compile(r"^(他|她|其|该|这|那|此|上述|还|另外|那么)|他|她|那次|这次|此次|该会|上述|还有|另外|其中|这位|那位|此人")
_PER_MEETING = re.compile(r"分别|各自|各是|相隔|间隔|相差|哪一个|哪一次|哪个会")
_DAYS_APART = re.compile(r"(?:相隔|间隔|相差)(?:了)?(?:几|多少)天")
# The person of the previous turn: 他 / 她, or named by a pointer (这位领导, 该同志, 此人).
_PRONOUN = re.compile(r"(?:他|她)(?!们)|(?:这位|那位|该|此)(?:领导|同志|干部|书记|人)|此人|这个人|这位")


# A meeting the question names in its own words (安全测试会, 防汛工作会议, 村书记培训班).
_NAMED_MEETING = re.compile(r"[\u4e00-\u9fff]{2,}(?:会议|会|培训班)(?![议室场长上中后前])")


def _elliptical(question: str) -> bool:
    """A question that names no meeting, place, person or day ("占年度任务的百分之多少?", "得了多少分?"):
    after an earlier turn, it goes on about that turn's meeting."""
    return not (people(question) or ADDRESSED.search(question) or DATE.search(question)
                or any(len(p) >= 3 for _, _, p in places(question)) or any(w in question for w in MEETING_WORDS)
                or _NAMED_MEETING.search(question))


_ASKS = re.compile(r"哪|谁|什么|多少|几|吗|是否|怎么|怎样|如何|为何|为什么|何时|何地")


def _own_question(part: str, idf: Any) -> bool:
    """A part of "…?…?" that is a question of its own: it asks (哪, 多少 …) and names
    something the documents know. "优秀的和软弱涣散的加在一起算" or "数一下一共几样"
    only qualify the question before them."""
    return bool(_ASKS.search(part)) and any(idf(k) > 0 for k in analyse(part).keywords if len(k) >= 2)


class Pipeline:
    def __init__(self, settings: Settings, embeddings: Any = None) -> None:
        self.settings = settings
        self.store = DocStore(settings)
        self._embeddings = embeddings
        self.use_scorer = True  # one learned scorer decides between the strategies' answers and a refusal
        self.on_candidates: Any = None  # called with every question's candidates (training the scorer)

    @cached_property
    def vectors(self) -> Any:
        from rag.vectors import VectorStore

        return VectorStore(self.settings)

    @cached_property
    def embeddings(self) -> Any:
        if self._embeddings is not None:
            return self._embeddings
        from rag.embedding import get_embeddings

        return get_embeddings(self.settings)

    @cached_property
    def retriever(self) -> Any:
        from rag.retrieval import HybridRetriever

        if space := getattr(self.embeddings, "vector_space", None):
            self.store.check_vector_space(space)
        return HybridRetriever(self.settings, self.store, self.vectors, self.embeddings)

    def as_langchain_retriever(self, k: int | None = None, doc_ids: list[str] | None = None) -> Any:
        """This pipeline's hybrid search as a LangChain ``BaseRetriever``."""
        from rag.retrieval import MeetragRetriever

        return MeetragRetriever(hybrid=self.retriever, k=k or self.settings.top_k, doc_ids=doc_ids)

    # --- questions ---------------------------------------------------------

    def check_question(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise QuestionError("the question is empty: type a question, e.g. 座谈会由谁主持?")
        if len(q) > self.settings.max_question_chars:
            raise QuestionError(
                f"the question has {len(q)} characters; the limit is {self.settings.max_question_chars} "
                "(MEETRAG_MAX_QUESTION_CHARS). Ask one short question at a time."
            )
        if not re.search(r"[\w\u4e00-\u9fff]", q):
            raise QuestionError("the question has no words in it (only punctuation or symbols)")
        return q

    def standalone(self, question: str, history: Sequence[tuple[str, str]], last: Answer | None) -> tuple[str, list[str] | None]:
        """Rewrite a follow-up for the extractive engine: carry the previous turn's
        meeting (as a filter) and person (replacing 他/她) into the question."""
        if not history or not (_FOLLOW_UP.search(question) or _elliptical(normalise_question(question))):
            return question, None
        prev_q, prev_a = history[-1]
        # The person the last answer named (by name, else by surname and post: 许书记), else the
        # one its question named.
        answer_text, asked = normalise_query(prev_a), normalise_query(prev_q)
        names = ([n for _, _, n in people(answer_text)] or ADDRESSED.findall(answer_text)
                 or [n for _, _, n in people(asked)] or ADDRESSED.findall(asked))
        q = _PRONOUN.sub(names[0], question, count=1) if names and _PRONOUN.search(question) else question
        doc_ids = [last.citations[0].doc_id] if last and last.citations else None
        return q, doc_ids

    def retrieve(self, question: str, k: int | None = None, doc_ids: Sequence[str] | None = None) -> list[Passage]:
        if self.store.is_empty():
            raise IndexEmptyError()
        return self.retriever.search(question, k, doc_ids)

    def ask(
        self,
        question: str,
        doc: str | None = None,
        engine: str | None = None,
        history: Sequence[tuple[str, str]] = (),
        last: Answer | None = None,
        on_delta: Any = None,
    ) -> Answer:
        """Answer one question (optionally about one document, with conversation history).

        ``on_delta(text)`` receives the LLM's text as it streams (before the guard)."""
        t0 = time.perf_counter()
        q = self.check_question(question)
        engine = engine or self.settings.default_engine
        doc_ids = [self.store.resolve(doc)] if doc else None
        standalone, carried = q, None
        if not history and not doc and (pronoun := unresolved_reference(normalise_question(q))):
            # "他还强调了什么?" as a first question: ask who is meant rather than guess.
            return self._clarify(question, pronoun, t0)
        if history:
            if engine == "llm":
                from rag.answer_llm import condense_question

                standalone = condense_question(q, list(history), self.settings)
            else:
                standalone, carried = self.standalone(q, history, last)
        doc_ids = doc_ids or carried
        norm = normalise_question(standalone)
        passages = self.retrieve(norm, self.settings.top_k, doc_ids)
        if not doc_ids and engine != "llm":
            # The question names one meeting: answer within its document.
            from rag.extract_core import _weight
            from rag.extractive import idf_from
            from rag.scope import named_document

            intent = analyse(norm)
            named = named_document(norm, intent, passages, self.store.get,
                                   _weight(intent, idf_from(self.retriever.bm25)))
            if named is not None:
                doc_ids = [named]
                passages = self.retrieve(norm, self.settings.top_k, doc_ids)
        t1 = time.perf_counter()
        if engine == "llm":
            from rag.answer_llm import answer_llm

            answer = answer_llm(norm, passages, self.settings, quote_of=self.quote_of, on_delta=on_delta)
        else:
            answer = self._extractive(norm, passages, doc_ids)
            answer = self._instance_written(norm, answer)
        t2 = time.perf_counter()
        answer.question = question
        answer.standalone_question = standalone if standalone != q else None
        answer.passages = passages
        answer.timings_ms = {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000}
        return answer

    def _instance_written(self, norm: str, answer: Answer) -> Answer:
        """"培训班第二期哪天开班", "第42次常务会": a numbered instance the question asks about
        is answered only from a document that writes that instance; the day of the first
        class is no answer about the second."""
        from rag.zh.numerals import ordinals

        # The first is often not numbered (a report of 第一期 calls it 培训班): only later ones count.
        asked = {o for o in ordinals(norm) if o[0] > 1}
        if answer.refused or not asked or not answer.citations:
            return answer
        if any(asked <= ordinals(self.store.get(c.doc_id).text) for c in answer.citations):
            return answer
        return refused(norm, Refusal.NOT_FOUND, strategy="refused")

    def _clarify(self, question: str, pronoun: str, t0: float) -> Answer:
        answer = refused(question, Refusal.CLARIFY, pronoun=pronoun, strategy="clarify")
        total = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {"retrieve": 0.0, "answer": total, "total": total}
        return answer

    def _extractive(self, norm: str, passages: list[Passage], doc_ids: Sequence[str] | None) -> Answer:
        from rag.extractive import (
            answer_extractive,
            compare_figures,
            days_apart,
            documents_with_years,
            idf_from,
            meetings_lasting,
        )
        from rag.meetings import (
            compared_parts,
            counted_noun,
            days_asked,
            find_meetings,
            named_document,
            year_asked,
        )

        # Two questions in one ("…出席?…几个?"): answer each, then join.
        asked = [q.strip() + "?" for q in re.split(r"[?？]", norm) if len(q.strip()) >= 6]
        idf = idf_from(self.retriever.bm25)
        if len(asked) >= 2 and all(_own_question(q, idf) for q in asked):
            parts = [self._extractive(q, self.retrieve(q, self.settings.top_k, doc_ids), doc_ids) for q in asked]
            if any(not p.refused for p in parts):
                return merge_answers(norm, [p for p in parts if not p.refused])
        intent = analyse(norm)
        if days := days_asked(norm):
            # "哪一次会议开了两天": compare the meetings' own dates, not passages. The dates
            # are read from the index's listing; only the documents that qualify are loaded
            # (an archive of thousands would otherwise be read whole for one question).
            from rag.meetings import duration_days

            wanted = set(doc_ids) if doc_ids else None
            ids = [i["doc_id"] for i in self.store.list_info()
                   if (wanted is None or i["doc_id"] in wanted) and i["dates"] and duration_days(i["dates"][0]) == days]
            # A few are listed and the rest counted (rag.answer_meetings.MEETINGS_LISTED).
            from rag.answer_meetings import MEETINGS_LISTED

            shown = [self.store.get(d) for d in ids[:MEETINGS_LISTED]]
            if lasting := meetings_lasting(norm, shown, days, also=len(ids) - len(shown)):
                return lasting
        if not doc_ids and year_asked(norm):
            # "哪一份写了具体年份": the documents' own text, not passages.
            if dated := documents_with_years(norm, self.store.list_documents()):
                return dated
        if not doc_ids and (which := self._compare_meetings(norm, idf)):
            return which  # "A和B哪个开得早 / 哪个参会人多": the frames compared
        if not doc_ids and (compared := compared_parts(norm)):
            # "A和B哪边多?多几个?": one figure from each meeting, and their difference.
            listed: list[tuple[str, str, tuple[str, ...]]] = [
                (i["doc_id"], to_simplified(i["title"]), ()) for i in self.store.list_info()
            ]
            # The meeting is named before the noun counted (座谈会来的|优秀村党组织书记).
            sides = [named_document(part.rsplit("的", 1)[0], listed) for part in compared[:2]]
            if sides[0] and sides[1] and sides[0] != sides[1]:
                pairs = [(self.store.get(d), counted_noun(part)) for d, part in zip(sides, compared, strict=False) if d]
                if answer := compare_figures(norm, pairs, compared[2]):
                    return answer
        if not doc_ids and _PER_MEETING.search(norm):
            listed_info = self.store.list_info()
            titles = {i["doc_id"]: to_simplified(i["title"]) for i in listed_info}
            infos = [(i["doc_id"], titles[i["doc_id"]], tuple(i["dates"])) for i in listed_info]
            named = [m.doc_id for m in find_meetings(norm, infos)]
            if len(named) < 2:
                # The titles do not name them: find each meeting by the words of its part.
                named = self._meetings_named(norm, idf)
            if len(named) >= 2:
                if _DAYS_APART.search(norm):
                    return days_apart(norm, [self.store.get(d) for d in named[:2]])
                # "A和B分别…": answer each meeting on its own, without the other's words.
                from rag.answer_frame import answer_from_frame
                from rag.extract_core import _weight
                from rag.meeting.store import frames_for

                parts = []
                for doc_id in named[:3]:
                    own, own_text = titles[doc_id], self.store.get(doc_id).text
                    others = [self.store.get(d2).text for d2 in named if d2 != doc_id]
                    # Words only the other meeting has belong to the other half of the question.
                    keep = tuple(k for k in intent.keywords if k in own_text or not any(k in o for o in others))
                    sub = replace(intent, keywords=keep, quoted=tuple(q for q in intent.quoted if q in own),
                                  extra={k: v for k, v in intent.extra.items() if k != "meeting"})
                    own_passages = self.retrieve(norm, self.settings.top_k, [doc_id])
                    part = answer_from_frame(norm, sub, own_passages, self.store.get, frames_for(self.settings).get,
                                             _weight(sub, idf), whole_question=False)
                    part = part or answer_extractive(norm, sub, own_passages, self.store.get, idf)
                    if not part.refused:
                        parts.append(part)
                if parts:
                    return merge_answers(norm, parts)
        # A slot question (who chaired, when, where, how many attended) is answered from
        # the meeting frame, read once from the whole document, when the frame holds the
        # slot for the meeting the question names; the sentences answer the rest.
        from rag.answer_frame import answer_from_frame
        from rag.extract_core import _weight
        from rag.meeting.store import frames_for

        framed = answer_from_frame(
            norm, intent, passages, self.store.get, frames_for(self.settings).get, _weight(intent, idf)
        )
        offered: list[tuple[Answer, str]] = []
        if framed is not None:
            offered.append((framed, framed.strategy or "frame"))
            return self._decide(norm, intent, passages, idf, offered, framed)
        answer = answer_extractive(norm, intent, passages, self.store.get, idf)
        if answer.refused and answer.citations:
            return answer  # the clause that answers is redacted: say so
        if not answer.refused:
            offered.append((answer, answer.strategy or "sentence"))
        return self._decide(norm, intent, passages, idf, offered, answer)

    def _documents_named(self, parts: Sequence[str], idf: Any) -> list[Document] | None:
        """One document per part of a question naming several meetings, each found by the
        words of its own part; None unless every part finds its own."""
        from rag.answer_compare import find_meeting
        from rag.extract_core import _weight
        from rag.meeting.store import frames_for

        frame_of = frames_for(self.settings).get
        found: list[Document] = []
        for part in parts:
            ranked = [self.store.get(d) for d in dict.fromkeys(p.doc_id for p in self.retrieve(part, self.settings.top_k))]
            doc = find_meeting(part, ranked, frame_of, _weight(analyse(part), idf))
            if doc is None or any(doc.doc_id == f.doc_id for f in found):
                return None  # a meeting not found, or two parts naming one
            found.append(doc)
        return found

    def _meetings_named(self, norm: str, idf: Any) -> list[str]:
        """The documents of the meetings "A和B分别…" names, one per part; [] unless each is found."""
        from rag.answer_compare import named_parts

        docs = self._documents_named(named_parts(norm), idf)
        return [d.doc_id for d in docs] if docs else []

    def _compare_meetings(self, norm: str, idf: Any) -> Answer | None:
        from rag.answer_compare import answer_compare, compared, short_name
        from rag.meeting.store import frames_for

        asked = compared(norm)
        if asked is None or (docs := self._documents_named(asked.parts, idf)) is None:
            return None
        frame_of = frames_for(self.settings).get
        sides = [(d, frame_of(d), short_name(d, frame_of(d), part)) for d, part in zip(docs, asked.parts, strict=True)]
        return answer_compare(norm, asked, sides)

    def _decide(self, norm: str, intent: Any, passages: list[Passage], idf: Any,
                offered: list[tuple[Answer, str]], refusal: Answer) -> Answer:
        """A strategy's answer stands; when every strategy refused, the learned scorer
        chooses between every proposed span (and redacted-fact refusals) and refusing.

        The scorer was also tried as the judge of the strategies' own answers (one choice
        over everything). On the corpus it gained, but on the seed documents it overruled
        right answers (seeds set 0.99 -> 0.83), so it only decides what they leave open.
        Without the shipped model (or with ``use_scorer`` off, as when training it) a
        refusal stays a refusal."""
        from rag.candidates import propose
        from rag.extract_core import _compose, _weight
        from rag.scoring import best, load_model

        model = load_model() if self.use_scorer else None
        if self.on_candidates is not None:
            # Training: every question's full candidate list, the strategies' answers in it.
            self.on_candidates(propose(intent, norm, passages, self.store.get, _weight(intent, idf), idf, offered))
        if offered or model is None:
            return self._as_given(offered, refusal)
        chosen = best(propose(intent, norm, passages, self.store.get, _weight(intent, idf), idf), model)
        if chosen is None or chosen.probability < model.threshold:
            refusal.confidence = None if chosen is None else 1.0 - chosen.probability
            refusal.strategy = "refused"
            return refusal
        if chosen.answer is not None:
            answer = chosen.answer  # the fact the question asks for is redacted: say so
        else:
            part = chosen.part()
            if intent.extra.get("recipient") and part.found is not None:
                from rag.extractive import with_recipient

                found = with_recipient(part.sentence.text, part.found)
                part = replace(part, direct=found.text, found=found)
            answer = _compose(norm, [part])
            answer.strategy = f"scored:{chosen.strategy}"
        answer.confidence = chosen.probability
        return answer

    @staticmethod
    def _as_given(offered: list[tuple[Answer, str]], refusal: Answer) -> Answer:
        if not offered:
            return refusal
        answer, strategy = offered[0]
        answer.strategy = strategy
        return answer

    def stream(self, question: str, doc: str | None = None, engine: str | None = None,
               history: Sequence[tuple[str, str]] = (), last: Answer | None = None) -> Iterator[str | Answer]:
        """Yield text deltas while an LLM answers, then the checked ``Answer``.
        The extractive engine yields its answer at once."""
        engine = engine or self.settings.default_engine
        if engine != "llm":
            yield self.ask(question, doc, engine, history, last)
            return
        import queue
        import threading

        q: queue.Queue[Any] = queue.Queue()
        result: list[Any] = []

        def work() -> None:
            try:
                result.append(self.ask(question, doc, engine, history, last, on_delta=q.put))
            except BaseException as e:  # re-raised in the caller's thread below
                result.append(e)
            finally:
                q.put(None)

        threading.Thread(target=work, daemon=True).start()
        while (delta := q.get()) is not None:
            yield delta
        if isinstance(result[0], BaseException):
            raise result[0]
        yield result[0]

    def quote_of(self, passage: Passage) -> str:
        return self.store.get(passage.doc_id).quote(passage.start, passage.end)
