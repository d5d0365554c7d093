"""Real copy (issue 17 item 2): titles and overlays from the prompt's names, dates, places,
product and the file names, in the session's language; placeholders only for facts the
prompt asks for but does not give, and then the reply asks for them."""

from __future__ import annotations

from tests.agent.conftest import media, photos, run, texts_of, venue_clip, view

WEDDING = (
    "create a 60-second wedding invitation video with our names, date, and romantic background "
    "music — Anna & Ben, June 5, 2027 at the Rosewood Hotel"
)
PROMO = "turn these images into a 30-second promo video with music and text overlays"


def _reply(plan) -> str:
    return " ".join(step.text for step in plan.steps)


def test_a_wedding_invitation_says_the_names_date_and_place():
    plan = run(WEDDING, view([*photos(5), venue_clip()]))
    texts = texts_of(plan.final_draft)
    assert {"Anna & Ben", "June 5, 2027", "Rosewood Hotel", "Join us"} <= set(texts)
    assert not any("[" in t for t in texts)
    assert "?" not in _reply(plan)


def test_a_chinese_invitation_in_chinese():
    message = "把这些照片做成一分钟的婚礼请柬视频，张三和李四，2027年6月5日在上海举行"
    texts = texts_of(run(message, view(photos(5))).final_draft)
    assert {"张三 & 李四", "2027年6月5日", "上海", "诚邀您的光临"} <= set(texts)


def test_facts_asked_for_but_not_given_are_placeholders_and_the_reply_asks():
    plan = run(WEDDING.split(" — ")[0], view(photos(5)))
    assert "[Name] & [Name]" in texts_of(plan.final_draft)
    assert "What should the text in brackets say?" in _reply(plan)


def test_a_promo_names_the_product_from_the_prompt():
    plan = run(PROMO.replace("promo video", "promo video for our new Aurora desk lamp"),
               view(photos(3)))  # fmt: skip
    texts = texts_of(plan.final_draft)
    assert "Introducing the Aurora desk lamp" in texts
    assert "Meet the new Aurora desk lamp" in texts and "Shop now" in texts
    assert not any("[" in t for t in texts) and "?" not in _reply(plan)


def test_a_promo_takes_the_product_from_the_file_names():
    lamp = [media(i, f"lamp_{side}.jpg", "image", size=(1000, 1000))
            for i, side in enumerate(("front", "side", "detail"), 1)]  # fmt: skip
    texts = texts_of(run(PROMO, view(lamp)).final_draft)
    assert "Introducing the Lamp" in texts and "Meet the new Lamp" in texts


def test_a_promo_with_nothing_to_go_on_has_real_copy_and_asks_for_the_product():
    plan = run(PROMO, view(photos(3)))
    texts = texts_of(plan.final_draft)
    assert texts[:2] == ["New Collection", "New arrivals"] and "Shop now" in texts
    assert not any("[" in t for t in texts)
    assert "What's the product called?" in _reply(plan)
    zh = run("把这些照片做成30秒的产品宣传视频，配上音乐和文字", view(photos(3)))
    assert "立即选购" in texts_of(zh.final_draft)
    assert "产品叫什么名字？" in _reply(zh)


def test_copy_is_the_same_for_the_same_prompt():
    first = texts_of(run(PROMO, view(photos(3)), seed=1).final_draft)
    assert texts_of(run(PROMO, view(photos(3)), seed=2).final_draft) == first
