"""Turns that edit nothing: clarification, export, credits, status, greetings; language."""

from __future__ import annotations

import pytest

from tests.agent.conftest import after, photos, run, view

WEDDING = "create a 60-second wedding invitation video with our names, date, and romantic music"


@pytest.fixture
def generated():
    session = view(photos(5))
    return after(run(WEDDING, session), session)


@pytest.mark.parametrize(
    "message",
    [
        "blorp",
        "asdf qwer zxcv",
        "make it look better",
        "",
        "   ",
        "?",
        "hmm, not sure",
        "做得更好看一点",
    ],
)
def test_unintelligible_messages_ask_for_specifics(generated, message):
    plan = run(message, generated)
    assert plan.intent == "clarify" and plan.steps == ()
    assert plan.reply


def test_clarification_follows_the_language():
    assert "具体" in run("做得更好看一点", view()).reply
    assert "specific" in run("make it nicer", view()).reply


@pytest.mark.parametrize(
    ("message", "topic_word"),
    [
        ("export", "Export button"),
        ("export the video please", "Export button"),
        ("download", "Export button"),
        ("send me the video", "Export button"),
        ("how many credits do I have", "Billing"),
        ("what's my balance?", "Billing"),
        ("show tracks", "Timeline (4 tracks)"),
        ("status", "Timeline (4 tracks)"),
        ("upload", "Upload"),
        ("hi", "Upload"),
        ("thanks!", "Export button"),
        ("undo", "Undo"),
    ],
)
def test_chat_topics(generated, message, topic_word):
    plan = run(message, generated)
    assert plan.intent == "chat" and plan.steps == ()
    assert topic_word in plan.reply


@pytest.mark.parametrize(
    ("message", "word"),
    [
        ("导出", "导出"),
        ("我还有多少积分", "积分"),
        ("余额", "积分"),
        ("状态", "时间线"),
        ("你好", "上传"),
    ],
)
def test_chinese_chat(generated, message, word):
    plan = run(message, generated)
    assert plan.language == "zh" and plan.intent == "chat"
    assert word in plan.reply


def test_export_with_nothing_to_export():
    plan = run("export", view())
    assert plan.intent == "chat" and "nothing to export" in plan.reply


@pytest.mark.parametrize(
    ("language", "message", "expected"),
    [
        (None, "add music", "en"),
        (None, "添加音乐", "zh"),
        ("zh-CN", "add music", "zh"),
        ("zh", "add music", "zh"),
        ("en", "添加音乐", "en"),
        ("ja", "add music", "en"),
    ],
)
def test_language(language, message, expected):
    assert run(message, view(language=language)).language == expected
