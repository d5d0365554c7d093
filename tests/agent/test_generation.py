"""Generation turns: every prompt of §5 of the API doc and the seeds' examples."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from tests.agent.conftest import (
    assert_plan_well_formed,
    bgm_of,
    photos,
    run,
    song,
    texts_of,
    tracks_of,
    venue_clip,
    video_segments,
    view,
)
from tests.agent.conftest import (
    media as media_file,
)

WEDDING = (
    "create a 60-second wedding invitation video with our names, date, and romantic "
    "background music — Anna & Ben, June 5, 2027"
)
SCRIPT_FILE = Path(__file__).parents[2] / "fixtures" / "prompts" / "promo_script_300_words.txt"


def upload_ids(uploads, kinds=("image", "video")):
    return [u.file_id for u in uploads if u.file_type in kinds]


def srcs(draft):
    return [s.src for s in video_segments(draft)]


# --------------------------------------------------------------------------- the acceptance case


def test_wedding_invitation_from_five_photos_and_a_clip(wedding_uploads):
    plan = run(WEDDING, view(wedding_uploads))
    assert_plan_well_formed(plan)
    assert plan.intent == "generate_from_uploads" and plan.language == "en"
    draft = plan.final_draft
    assert srcs(draft) == upload_ids(wedding_uploads)
    assert draft.duration == 60_000
    assert video_segments(draft)[-1].end == 60_000
    assert bgm_of(draft).src == "bgm_romantic" and bgm_of(draft).volume == 35
    overlay_tracks = [
        t for t in tracks_of(draft, 7) if any(s.text == "Anna & Ben" for s in t.segments)
    ]
    assert overlay_tracks, draft.summary()
    assert "June 5, 2027" in [s.text for s in overlay_tracks[0].segments]
    assert (draft.meta.width, draft.meta.height) == (1920, 1080)
    assert draft.meta.title == "Anna & Ben"


def test_wedding_generation_is_two_stage(wedding_uploads):
    plan = run(WEDDING, view(wedding_uploads))
    kinds = [s.kind for s in plan.steps]
    assert kinds == ["generation", "edit", "edit"]
    raw = plan.steps[0].draft
    assert [int(t.type) for t in raw.tracks] == [0]
    assert plan.steps[0].tool == "generate_video_with_seedance"
    assert plan.steps[0].media == ()  # a montage of uploads synthesises nothing
    assert plan.steps[0].result["media_ids"] == upload_ids(wedding_uploads)
    assert "Export button" in plan.steps[-1].text
    assert "Music panel" in plan.steps[1].text


def test_wedding_clip_keeps_its_length_and_photos_share_the_rest(wedding_uploads):
    draft = run(WEDDING, view(wedding_uploads)).final_draft
    segments = video_segments(draft)
    assert segments[-1].duration == 3000 and segments[-1].source_in == 0
    assert {s.duration for s in segments[:5]} == {11_400}
    assert all(s.fit == "cover" and s.zoom for s in segments[:5])


def test_wedding_without_names_uses_placeholders(wedding_uploads):
    message = "create a 60-second wedding invitation video with our names, date, and romantic music"
    draft = run(message, view(wedding_uploads)).final_draft
    assert "[Name] & [Name]" in texts_of(draft) and "[Date]" in texts_of(draft)


# --------------------------------------------------------------------------- §5 prompts


def test_five_photos_and_a_venue_clip_into_a_1080p_mp4(wedding_uploads):
    plan = run(
        "create five couple photos and a short venue clip into a 1080p MP4", view(wedding_uploads)
    )
    assert_plan_well_formed(plan)
    draft = plan.final_draft
    assert srcs(draft) == upload_ids(wedding_uploads)
    assert draft.duration == 15_000
    assert (draft.meta.width, draft.meta.height) == (1920, 1080)
    assert bgm_of(draft).volume == 35
    # nothing names the video (no theme, names or file subject): no "My Video" title, and
    # the replies do not promise one
    assert not tracks_of(draft, 7)
    assert not any("title" in step.text for step in plan.steps), [s.text for s in plan.steps]


def test_images_into_a_30_second_promo_with_music_and_text_overlays(all_uploads):
    message = "turn these images into a 30-second promo video with music and text overlays"
    plan = run(message, view(all_uploads))
    assert_plan_well_formed(plan)
    draft = plan.final_draft
    assert srcs(draft) == upload_ids(all_uploads, ("image",))  # "these images": photos only
    assert draft.duration == 30_000
    assert bgm_of(draft).src == all_uploads[-1].file_id  # the uploaded song, no mood named
    assert bgm_of(draft).volume == 35
    overlays = [s for t in tracks_of(draft, 7) if t.name != "Title" for s in t.segments]
    assert len(overlays) >= 1
    assert all(s.end <= 30_000 for s in overlays)


def test_promo_without_a_song_gets_upbeat_library_music():
    message = "turn these images into a 30-second promo video with music and text overlays"
    draft = run(message, view(photos(5))).final_draft
    assert bgm_of(draft).src == "bgm_upbeat"


def test_smooth_slideshow_with_transitions_and_music(all_uploads):
    message = "turn my photos into a smooth video slideshow with transitions and music"
    plan = run(message, view(all_uploads))
    assert_plan_well_formed(plan)
    segments = video_segments(plan.final_draft)
    assert [s.src for s in segments] == upload_ids(all_uploads, ("image",))
    assert all(s.transition and s.transition.type == "fade" for s in segments[:-1])
    assert segments[-1].transition is None
    assert all(s.transition.duration == 500 for s in segments[:-1])
    assert bgm_of(plan.final_draft).src.startswith(("f_", "bgm_"))


def test_sunset_timelapse_from_text():
    plan = run("make me a 10-second sunset timelapse video", view())
    assert_plan_well_formed(plan)
    assert plan.intent == "generate_from_text"
    assert [s.kind for s in plan.steps] == ["generation"]  # no music or title unless asked
    step = plan.steps[0]
    (spec,) = step.media
    assert spec.kind == "clip" and spec.seconds == 10 and "sunset" in spec.prompt
    assert (spec.width, spec.height) == (1920, 1080)
    assert step.generated[0]["id"] == spec.media_id and step.generated[0]["kind"] == "clip"
    draft = step.draft
    assert draft.duration == 10_000 and srcs(draft) == [spec.media_id]
    assert "Export button" in step.text


def test_text_to_video_then_lofi_music_then_golden_hour_title():
    """The seeds' text-to-video workflow, one turn after another."""
    from tests.agent.conftest import after

    session = view()
    for message in (
        "make me a 10-second sunset timelapse video",
        "add lo-fi background music",
        "put a title 'Golden Hour' at the beginning",
    ):
        plan = run(message, session)
        assert_plan_well_formed(plan)
        session = after(plan, session)
    draft = session.draft
    assert draft.duration == 10_000
    assert bgm_of(draft).src == "bgm_lofi" and bgm_of(draft).volume == 35
    title = next(s for t in tracks_of(draft, 7) for s in t.segments)
    assert (title.text, title.start, title.duration) == ("Golden Hour", 0, 3000)
    assert draft.summary() == (
        "Timeline (3 tracks): 1. Video: sunset timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
        '3. Title: "Golden Hour" (0-3s)'
    )


def test_text_to_video_with_music_and_title_asked():
    plan = run(
        "make me a 10-second sunset timelapse video with lo-fi music and a title 'Golden Hour'",
        view(),
    )
    assert [s.kind for s in plan.steps] == ["generation", "edit", "edit"]
    draft = plan.final_draft
    assert bgm_of(draft).src == "bgm_lofi"
    assert "Golden Hour" in texts_of(draft)


def test_wedding_prompt_without_uploads_generates_one_clip():
    message = (
        "create a 60-second wedding invitation video with our names, date, and romantic "
        "background music"
    )
    plan = run(message, view())
    assert plan.intent == "generate_from_text"
    assert plan.synthesised_clips == 1
    assert plan.final_draft.duration == 60_000
    assert bgm_of(plan.final_draft).src == "bgm_romantic"


def test_script_to_video_without_uploads():
    script = SCRIPT_FILE.read_text(encoding="utf-8")
    plan = run(script, view())
    assert_plan_well_formed(plan)
    assert plan.intent == "script_to_video"
    raw = plan.steps[0]
    assert raw.kind == "generation" and [s.kind for s in plan.steps[1:]] == ["edit", "edit"]
    clips = [m for m in raw.media if m.kind == "clip"]
    voice = [m for m in raw.media if m.kind == "voiceover"]
    assert 2 <= len(clips) <= 12 and len(voice) == 1
    body = script.split("\n", 1)[1].strip()
    assert voice[0].prompt.startswith("Meet Aurora")
    words = len(body.split())
    draft = plan.final_draft
    assert draft.duration == pytest.approx(words / 150 * 60_000, rel=0.05)
    assert srcs(draft) == [c.media_id for c in clips]
    voice_track = [t for t in tracks_of(draft, 1) if t.name == "Voiceover"]
    assert voice_track and voice_track[0].segments[0].src == voice[0].media_id
    assert bgm_of(draft).volume < 35  # under the voice
    captions = [s for t in tracks_of(draft, 7) for s in t.segments]
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", body) if x.strip()]
    assert len(captions) >= len(sentences) and len(captions) >= len(clips)
    assert captions[0].text.startswith("Meet Aurora")
    assert not any(c.text.endswith("…") for c in captions)  # wrapped by the renderer, not cut
    assert " ".join(c.text for c in captions).split() == body.split()  # every word, in order
    assert {s.start for s in video_segments(draft)} <= {c.start for c in captions}
    assert all(a.end == b.start for a, b in itertools.pairwise(captions))
    assert len(voice[0].starts_ms) == len(sentences)


def test_a_short_script_gets_a_scene_per_sentence():
    body = (
        "Meet Aurora, the desk lamp that learns your day. It wakes you with a warm sunrise "
        "glow. At night it dims slowly, so you sleep better. Try Aurora today."
    )
    plan = run(f"turn this script into a short promo video with voiceover: {body}", view())
    clips = [m for m in plan.steps[0].media if m.kind == "clip"]
    assert len(clips) == 4 and len({c.media_id for c in clips}) == 4  # a visual per sentence
    assert "4 scenes" in plan.steps[0].text
    captions = [s for t in tracks_of(plan.final_draft, 7) for s in t.segments]
    assert [s.start for s in video_segments(plan.final_draft)] == [c.start for c in captions]
    one = run("turn this script into a video with voiceover: Aurora learns your day.", view())
    assert "one scene" in one.steps[0].text and "1 scenes" not in one.steps[0].text


def test_a_long_script_changes_scene_every_ten_seconds_or_so():
    plan = run(SCRIPT_FILE.read_text(encoding="utf-8"), view())
    lengths = [s.duration for s in video_segments(plan.final_draft)]
    # 300 words, 2 minutes: twelve scenes, about ten seconds each, none of half a minute
    assert len(lengths) == 12 and max(lengths) <= 25_000, lengths


def test_script_captions_follow_the_synthesisers_timing():
    body = "First line here. A second, longer sentence follows it. Short end."
    said = {"First line here.": 1500, "A second, longer sentence follows it.": 3100}

    def timer(sentences: list[str]) -> list[int]:
        return [said.get(x, 900) for x in sentences]

    plan = run(f"turn this script into a video with voiceover: {body}", view(speech=timer))
    draft = plan.final_draft
    assert draft.duration == 5500
    captions = [(c.text, c.start, c.end) for t in tracks_of(draft, 7) for c in t.segments]
    assert captions == [
        ("First line here.", 0, 1500),
        ("A second, longer sentence follows it.", 1500, 4600),
        ("Short end.", 4600, 5500),
    ]
    (voice,) = [m for m in plan.steps[0].media if m.kind == "voiceover"]
    assert voice.starts_ms == (0, 1500, 4600)


def test_a_shorter_video_scales_the_cues_with_the_sped_up_voice():
    body = "One two three. Four five six."
    plan = run(
        f"turn this script into a 3-second video with voiceover: {body}",
        view(speech=lambda sentences: [3000 for _ in sentences]),
    )
    captions = [(c.start, c.end) for t in tracks_of(plan.final_draft, 7) for c in t.segments]
    assert captions == [(0, 1500), (1500, 3000)]


def test_script_to_video_with_uploads_uses_them_in_order(wedding_uploads):
    plan = run(SCRIPT_FILE.read_text(encoding="utf-8"), view(wedding_uploads))
    assert_plan_well_formed(plan)
    assert srcs(plan.final_draft) == upload_ids(wedding_uploads)
    assert [m.kind for m in plan.steps[0].media] == ["voiceover"]


def test_script_request_without_a_script_asks_for_it():
    plan = run("turn this script into a short promo video with voiceover and visuals", view())
    assert plan.steps == () and plan.intent == "clarify"
    assert "paste" in plan.reply


def test_script_with_explicit_length():
    body = " ".join(["Our coffee is roasted fresh every morning in small batches."] * 12)
    plan = run(f"Turn this script into a 30-second video with voiceover: {body}", view())
    assert plan.intent == "script_to_video"
    assert plan.final_draft.duration == 30_000


# --------------------------------------------------------------------------- details


@pytest.mark.parametrize(
    ("message", "seconds"),
    [
        ("create a 60 second video from my photos", 60),
        ("create a 30 s video from my photos", 30),
        ("create a 30s video from my photos", 30),
        ("make a 1 minute video from my photos", 60),
        ("make a one-minute video of my photos", 60),
        ("把这些照片做成一分钟的视频", 60),
        ("生成一个30秒的视频", 30),
        ("turn my photos into a video", 15),
    ],
)
def test_lengths_from_the_prompt(message, seconds):
    plan = run(message, view(photos(5)))
    assert plan.intent == "generate_from_uploads"
    assert plan.final_draft.duration == seconds * 1000


@pytest.mark.parametrize(
    ("message", "canvas"),
    [
        ("turn my photos into a portrait video", (1080, 1920)),
        ("turn my photos into a vertical video for TikTok", (1080, 1920)),
        ("turn my photos into a 9:16 video", (1080, 1920)),
        ("把这些照片做成竖屏视频", (1080, 1920)),
        ("turn my photos into a square video", (1080, 1080)),
        ("turn my photos into a 1:1 video", (1080, 1080)),
        ("turn my photos into a 720p video", (1280, 720)),
        ("turn my photos into a 720p portrait video", (720, 1280)),
        ("turn my photos into a 1080p video", (1920, 1080)),
        ("turn my photos into a 4K video", (1920, 1080)),
    ],
)
def test_canvas_from_the_prompt(message, canvas):
    landscape = [media_file(i, f"p{i}.jpg", "image", size=(1280, 720)) for i in range(1, 6)]
    plan = run(message, view(landscape))
    assert plan.steps[-1].canvas == canvas
    assert (plan.final_draft.meta.width, plan.final_draft.meta.height) == canvas


@pytest.mark.parametrize(
    ("message", "canvas"),
    [
        ("create five couple photos and a short venue clip into a 1080p MP4", (1080, 1920)),
        ("turn my photos into a 720p video", (720, 1280)),
        ("turn my photos into a landscape video", (1920, 1080)),
    ],
)
def test_mostly_portrait_uploads_make_a_portrait_canvas_and_the_reply_says_so(message, canvas):
    portrait = [media_file(i, f"p{i}.jpg", "image", size=(3000, 4000)) for i in range(1, 6)]
    plan = run(message, view([*portrait, venue_clip()]))
    assert plan.steps[-1].canvas == canvas
    said = f"portrait, so the video is vertical ({canvas[0]}×{canvas[1]})" in plan.steps[0].text
    assert said == (canvas[1] > canvas[0])


@pytest.mark.parametrize(
    ("message", "mood"),
    [
        ("make a wedding video from my photos", "romantic"),
        ("make a video from my photos with romantic music", "romantic"),
        ("make a video from my photos with lo-fi music", "lofi"),
        ("make a chill video from my photos", "lofi"),
        ("make an upbeat video from my photos", "upbeat"),
        ("make a promo video from my photos", "upbeat"),
        ("make an epic video from my photos", "cinematic"),
        ("make a cinematic travel video from my photos", "cinematic"),
        ("make a calm, relaxing video from my photos", "calm"),
        ("make a video from my photos", "upbeat"),
    ],
)
def test_music_mood_from_the_prompt(message, mood):
    draft = run(message, view(photos(3))).final_draft
    assert bgm_of(draft).src == f"bgm_{mood}"


def test_clips_only_shorter_than_asked_repeat_in_order():
    uploads = [venue_clip(1, 3.0), venue_clip(2, 2.0)]
    draft = run("make a 10-second video from my clips", view(uploads)).final_draft
    segments = video_segments(draft)
    assert draft.duration == 10_000
    assert [s.src for s in segments] == ["f_0000000000000001", "f_0000000000000002"] * 2
    assert [s.duration for s in segments] == [3000, 2000, 3000, 2000]


def test_clips_only_longer_than_asked_are_trimmed_fairly():
    uploads = [venue_clip(1, 20.0), venue_clip(2, 2.0), venue_clip(3, 20.0)]
    draft = run("make a 12-second video from my clips", view(uploads)).final_draft
    assert [s.duration for s in video_segments(draft)] == [5000, 2000, 5000]


def test_long_clip_is_capped_among_photos():
    uploads = [*photos(4), venue_clip(5, 60.0)]
    draft = run("make a 15-second video from these", view(uploads)).final_draft
    segments = video_segments(draft)
    assert segments[-1].duration == 6000  # twice an even share
    assert {s.duration for s in segments[:4]} == {2250}


def test_references_to_photos_without_uploads_asks_for_them():
    plan = run("turn my photos into a 30-second video with music", view())
    assert plan.intent == "clarify" and plan.steps == ()
    assert "Upload" in plan.reply


def test_chinese_generation_from_uploads():
    plan = run(
        "把这些照片做成一分钟的竖屏视频，配上浪漫的音乐，张三和李四，2027年6月5日", view(photos(5))
    )
    assert_plan_well_formed(plan)
    assert plan.language == "zh"
    draft = plan.final_draft
    assert draft.duration == 60_000 and plan.steps[-1].canvas == (1080, 1920)
    assert bgm_of(draft).src == "bgm_romantic"
    assert "张三 & 李四" in texts_of(draft) and "2027年6月5日" in texts_of(draft)
    assert "点击导出" in plan.steps[-1].text


def test_chinese_generation_from_text():
    plan = run("生成一个30秒的视频", view())
    assert plan.language == "zh" and plan.intent == "generate_from_text"
    assert plan.final_draft.duration == 30_000
    assert "视频已生成" in plan.steps[-1].text


def test_session_language_wins_over_detection(wedding_uploads):
    plan = run(WEDDING, view(wedding_uploads, language="zh-CN"))
    assert plan.language == "zh"
    assert "导出" in plan.steps[-1].text


def test_many_photos_get_the_speed_tip():
    plan = run("make a 30-second video from my photos", view(photos(12)))
    assert "fewer than 10 images" in plan.steps[0].text
    assert len(video_segments(plan.final_draft)) == 12


def test_existing_song_is_used_when_no_mood_is_named():
    uploads = [*photos(3), song()]
    draft = run("turn my photos into a video with music", view(uploads)).final_draft
    bgm = bgm_of(draft)
    assert bgm.src == uploads[-1].file_id and bgm.loop  # 4 s song loops under 15 s


# --------------------------------------------------------------------------- more seed examples


def test_product_images_and_a_logo_into_a_1080p_mp4():
    uploads = [*photos(5), media_file(9, "logo.png", "image")]
    plan = run("create five product images and a logo file into a 1080p MP4", view(uploads))
    assert_plan_well_formed(plan)
    assert srcs(plan.final_draft) == upload_ids(uploads)
    assert bgm_of(plan.final_draft).src == "bgm_upbeat"


def test_product_photos_and_a_music_file_into_a_1080p_mp4():
    uploads = [*photos(5), song()]
    plan = run(
        "convert five product photos and a background music file into a 1080p MP4", view(uploads)
    )
    assert_plan_well_formed(plan)
    assert bgm_of(plan.final_draft).src == uploads[-1].file_id


def test_script_named_but_not_pasted():
    plan = run("create a 300-word blog post or product script into a 1080p MP4", view())
    assert plan.intent == "clarify" and "paste" in plan.reply


@pytest.mark.parametrize(
    "message",
    [
        "creating personalized wedding invitation videos to share with guests",
        "creating videos from images or clips using AI automation for marketers",
        "turning photo collections into shareable videos for social media creators",
    ],
)
def test_product_descriptions_generate_from_the_uploads(message, wedding_uploads):
    plan = run(message, view(wedding_uploads))
    assert_plan_well_formed(plan)
    assert plan.intent == "generate_from_uploads"
    assert srcs(plan.final_draft)


def test_marketing_video_from_text_alone():
    message = "creating marketing or social media videos from text or footage for marketers"
    plan = run(message, view())
    assert plan.intent == "generate_from_text" and plan.synthesised_clips == 1
