"""The facts the engine reads from messages."""

from __future__ import annotations

import pytest

from nemo_mock.mock_server.agent.intents import classify, is_generation
from nemo_mock.mock_server.agent.numbers import chinese_number, english_number
from nemo_mock.mock_server.agent.parsing import (
    AspectRequest,
    canvas_for,
    find_aspect,
    find_date,
    find_durations,
    find_mood,
    find_names,
    find_percent,
    find_position,
    find_quotes,
    mask_quotes,
    mood_for,
)
from nemo_mock.mock_server.agent.references import find_first_n, find_refs, resolve


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("a 60-second video", [60]),
        ("a 60 second video", [60]),
        ("30 s", [30]),
        ("30s", [30]),
        ("1 minute", [60]),
        ("a minute long", [60]),
        ("half a minute", [30]),
        ("1 min 30 s", [90]),
        ("1.5 minutes", [90]),
        ("ten-second clip", [10]),
        ("twenty-five seconds", [25]),
        ("500ms fades", [0.5]),
        ("一分钟", [60]),
        ("30秒", [30]),
        ("三十秒", [30]),
        ("一分半钟", [90]),
        ("半分钟", [30]),
        ("the second clip", []),
        ("a 1080p MP4 in 2027", []),
        ("50% volume", []),
    ],
)
def test_durations(text, seconds):
    assert [d.seconds for d in find_durations(text)] == seconds


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ("put a title 'Golden Hour' at the beginning", ["Golden Hour"]),
        ('put a title "Golden Hour" here', ["Golden Hour"]),
        ("put a title “Golden Hour” here", ["Golden Hour"]),
        ("put a title ‘Golden Hour’ here", ["Golden Hour"]),
        ("加上标题「新年快乐」", ["新年快乐"]),
        ("加上标题『新年快乐』和《春》", ["新年快乐", "春"]),
        ("let's add Anna's photo", []),
    ],
)
def test_quotes(text, quotes):
    assert list(find_quotes(text)) == quotes


def test_masked_quotes_hide_keywords():
    masked = mask_quotes("add a title 'remove the music' please")
    assert "remove" not in masked.text
    assert masked.quotes_in(masked.text) == ("remove the music",)
    assert masked.restore(masked.text) == "add a title 'remove the music' please"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Anna & Ben, June 5, 2027", "Anna & Ben"),
        ("our names are Anna and Ben", "Anna & Ben"),
        ("Mary-Jane + Tom", "Mary-Jane & Tom"),
        ("张三和李四的婚礼", "张三 & 李四"),
        ("我们是王芳与李明", "王芳 & 李明"),
        ("Add Music and Title", None),
        ("视频和音乐", None),
        ("anna and ben", None),
    ],
)
def test_names(text, names):
    assert find_names(text) == names


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Anna & Ben, June 5, 2027", "June 5, 2027"),
        ("on 5 June", "5 June"),
        ("the 5th of June 2027", "5th of June 2027"),
        ("2027-06-05", "2027-06-05"),
        ("06/05/2027", "06/05/2027"),
        ("2027年6月5日", "2027年6月5日"),
        ("6月5日", "6月5日"),
        ("may I add music", None),
    ],
)
def test_dates(text, date):
    assert find_date(text) == date


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("add lo-fi background music", "lofi"),
        ("some lofi beats", "lofi"),
        ("chill music", "lofi"),
        ("romantic music", "romantic"),
        ("upbeat energetic track", "upbeat"),
        ("epic cinematic score", "cinematic"),
        ("calm relaxing piano", "calm"),
        ("添加浪漫的背景音乐", "romantic"),
        ("欢快的音乐", "upbeat"),
        ("add music", None),
    ],
)
def test_moods(text, mood):
    assert find_mood(text) == mood


def test_mood_defaults_by_context():
    assert mood_for("a wedding video") == "romantic"
    assert mood_for("a product promo") == "upbeat"
    assert mood_for("my holiday trip") == "cinematic"
    assert mood_for("a video") == "upbeat"


@pytest.mark.parametrize(
    ("text", "current", "canvas"),
    [
        ("portrait", (1920, 1080), (1080, 1920)),
        ("vertical", (1920, 1080), (1080, 1920)),
        ("9:16", (1920, 1080), (1080, 1920)),
        ("竖屏", (1920, 1080), (1080, 1920)),
        ("landscape", (1080, 1920), (1920, 1080)),
        ("16:9", (1080, 1920), (1920, 1080)),
        ("square", (1920, 1080), (1080, 1080)),
        ("1:1", (1920, 1080), (1080, 1080)),
        ("1080p", (1280, 720), (1920, 1080)),
        ("720p", (1920, 1080), (1280, 720)),
        ("720p", (1080, 1920), (720, 1280)),
        ("4k", (1920, 1080), (1920, 1080)),
    ],
)
def test_aspect(text, current, canvas):
    request = find_aspect(text)
    assert request is not None
    assert canvas_for(request, current) == canvas


def test_no_aspect():
    assert find_aspect("add music") is None
    assert canvas_for(AspectRequest(None, None), (1920, 1080)) == (1920, 1080)


@pytest.mark.parametrize(
    ("text", "percent"),
    [("50%", 50), ("50 percent", 50), ("百分之五十", 50), ("volume to 70", 70), ("louder", None)],
)
def test_percent(text, percent):
    assert find_percent(text) == percent


@pytest.mark.parametrize(
    ("text", "position"),
    [("at the top", "top"), ("at the bottom", "bottom"), ("in the middle", "center"),
     ("centered", "center"), ("底部", "bottom"), ("lower the music", None)],
)  # fmt: skip
def test_position(text, position):
    assert find_position(text) == position


def test_numbers():
    assert english_number("twenty-five") == 25 and english_number("sixty") == 60
    assert english_number("lots") is None
    assert chinese_number("三十五") == 35 and chinese_number("一百二十") == 120
    assert chinese_number("十") == 10 and chinese_number("两") == 2
    assert chinese_number("二零二七") == 2027 and chinese_number("abc") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remove the second clip", [(1, "clip")]),
        ("delete the 3rd photo", [(2, "image")]),
        ("move photo 3 to position 1", [(2, "image")]),
        ("swap the first and last photos", [(0, "image"), (-1, "image")]),
        ("remove the last one", [(-1, "any")]),
        ("删除第二张照片", [(1, "image")]),
        ("把最后一张照片移到开头", [(-1, "image")]),
        ("make each photo 5 second", []),
        ("put the clip first", []),
    ],
)
def test_references(text, expected):
    assert [(r.index, r.kind) for r in find_refs(text)] == expected


def test_first_n_and_resolve():
    assert find_first_n("swap the first two") == (0, 1)
    assert find_first_n("交换前两个") == (0, 1)
    kinds = ["image", "image", "clip", "image"]
    (second_clip,) = find_refs("remove the second clip")
    assert resolve(second_clip, kinds) == 1  # only one clip: counts every item
    (last_photo,) = find_refs("the last photo")
    assert resolve(last_photo, kinds) == 3


@pytest.mark.parametrize(
    ("message", "generation"),
    [
        ("make me a 10-second sunset timelapse video", True),
        ("create five couple photos and a short venue clip into a 1080p MP4", True),
        ("turn my photos into a smooth video slideshow", True),
        ("make a calm, relaxing video", True),
        ("生成一个30秒的视频", True),
        ("把这些照片做成视频", True),
        ("regenerate the video", True),
        ("make it a 30-second video", False),
        ("make the video 30 seconds", False),
        ("make the second clip 2 seconds", False),
        ("make a title 'X' for the video", False),
        ("make a nice title for my video", False),
        ("generate video", True),
        ("creating personalized wedding invitation videos", True),
        ("把视频做成竖屏的", False),
        ("add a title", False),
    ],
)
def test_generation_detection(message, generation):
    assert is_generation(mask_quotes(message).text) == generation


@pytest.mark.parametrize(
    ("message", "ops"),
    [
        ("add lo-fi music and put a title 'X' at the end", ["music", "text"]),
        ("make the music louder", ["volume"]),
        ("add calm music at 50% volume", ["music"]),
        ("remove the music and the title", ["remove"]),
        ("remove transitions", ["transition"]),
        ("make each photo 3 seconds", ["each_duration"]),
        ("make it 30 seconds", ["total_length"]),
        ("put a title 'Hi' for 5 seconds", ["text"]),
        ("make it portrait and 20 seconds long", ["canvas", "total_length"]),
        ("添加浪漫的背景音乐，然后加上标题「新年快乐」", ["music", "text"]),
    ],
)
def test_edit_operations(message, ops):
    found = classify(message)
    assert found.kind == "edits"
    assert [op.kind for op in found.ops] == ops
