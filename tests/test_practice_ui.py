"""The 练习 tab through gradio_client with login on: staff play, trainers assign and read scores (issue 20)."""

import re

from tests.conftest import app_with_login
from tests.records.test_practice_store import GOOD


def test_staff_play_to_the_end_and_the_trainer_sees_the_score(hash_service, tmp_path):
    from gradio_client import Client

    with app_with_login(hash_service, tmp_path, [("amy", "staff", "amy-password", "东城"),
                                                  ("tom", "trainer", "tom-password", None)]) as (app, svc):
        staff = Client(app.local_url, auth=("amy", "amy-password"), verbose=False)
        assert "无权" in staff.predict("bank-queue-elderly", "normal", "tom", "", "", api_name="/practice_assign")
        chat, situation, mood, *_ = staff.predict("bank-queue-elderly", "normal", "", api_name="/practice_start")
        assert "老大爷" in situation and "暴怒" in mood and "八点半" in str(chat)
        result = ""
        for text in GOOD:
            chat, mood, feedback, result, box = staff.predict(text, api_name="/practice_reply")
            assert "本轮得分" in feedback and "参考回复" in feedback and box == ""
            if "总分" in result:
                break
        assert "总分" in result and "成绩已保存" in result
        table, board, _ = staff.predict("", "", 0, api_name="/practice_scores")
        assert [row[1] for row in table["data"]] == ["amy"]
        trainer = Client(app.local_url, auth=("tom", "tom-password"), verbose=False)
        assert "已指派" in trainer.predict("re-leak-repeat", "hard", "", "东城", "", api_name="/practice_assign")
        table, board, _ = trainer.predict("", "", 0, api_name="/practice_scores")
        assert table["data"][0][1] == "amy" and table["data"][0][2] == "东城" and "amy" in board
        assert "3F法" in table["data"][0][6]
        shown = str(table["data"]) + board + result + feedback
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|huashu-|bank-", shown), shown
        assert svc.practice.assignments(svc.users.get("amy"))[0]["scenario_id"] == "re-leak-repeat"
