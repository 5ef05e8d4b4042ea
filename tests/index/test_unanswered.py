"""The questions the procedures don't answer: the file's format, a question like one of them gets
未找到, none repeats a clause's own 问法, and a card's keyword score is its text's or its best 问法's."""

import pytest

from assistant.errors import CardError
from assistant.index.unanswered import UnansweredQuestion, check_near, load_unanswered
from assistant.reply.policy import NOT_FOUND
from assistant.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"


def test_the_questions_load_from_every_file(tmp_path):
    (tmp_path / "unanswered").mkdir()
    (tmp_path / "unanswered" / "a.yaml").write_text('- {q: "网点保安一个班站几个小时?", near: yuan-6-3, why: 只说值守}\n', encoding="utf-8")
    (tmp_path / "unanswered" / "b.yaml").write_text('- q: "年终奖什么时候发?"\n', encoding="utf-8")
    got = load_unanswered(tmp_path)
    assert [u.q for u in got] == ["网点保安一个班站几个小时?", "年终奖什么时候发?"]
    assert got[1].near == "none"


@pytest.mark.parametrize("text", ["- {q: 1, extra: x}\n", "q: 不是列表\n", "- {q: [\n"])
def test_a_malformed_file_is_named_in_both_languages(tmp_path, text):
    (tmp_path / "unanswered").mkdir()
    (tmp_path / "unanswered" / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CardError) as err:
        load_unanswered(tmp_path)
    assert "bad.yaml" in err.value.zh and "bad.yaml" in err.value.en


def test_a_near_clause_that_is_no_card_is_an_error():
    with pytest.raises(CardError, match="yuan-99"):
        check_near([UnansweredQuestion(q="?", near="yuan-99")], {"yuan-1"})
    check_near([UnansweredQuestion(q="?", near="none")], set())


def test_the_shipped_questions_are_many_and_name_real_clauses(use_service):
    got = load_unanswered(KNOWLEDGE)
    assert len(got) >= 200
    check_near(got, {c.id for c in use_service.index.cards})


def test_an_unanswered_question_gets_not_found(use_service):
    for u in load_unanswered(KNOWLEDGE)[:5]:
        answer = use_service.ask(u.q)
        assert not answer.found and answer.answer.startswith(NOT_FOUND), u.q


def test_no_unanswered_question_is_a_clauses_own_question(use_service):
    """One text on both sides would answer and refuse the same question; a near copy is as bad."""
    from assistant.reply.policy import card_questions

    search = use_service.ensure_index().policy.search
    own = {q for c in search.cards for q in card_questions(c)}
    assert not own & {u.q for u in load_unanswered(KNOWLEDGE)}
    closest = (search.neg_vecs @ search.q_vecs.T).max()
    assert closest < 0.95, closest


def test_a_cards_keyword_score_is_its_text_or_its_best_question(use_service):
    from assistant.text.tokenize import expand, tokens

    search = use_service.ensure_index().policy.search
    question = "割接停业那天老主顾急着用钱,最多能先给他支多少?"
    groups = expand(tokens(question))
    body, asked = search.bm25.score_array(groups), search.q_bm25.score_array(groups)
    got = search.features(question)["bm25"]
    for i in range(len(search.cards)):
        mine = asked[search.q_owner == i]
        assert got[i] == max(body[i], *mine) if len(mine) else got[i] == body[i]
