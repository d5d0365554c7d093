"""Edit turns on prepared drafts: each changes what was asked and leaves the rest alone."""

from __future__ import annotations

import pytest

from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta, Segment, Track, TrackType
from tests.agent.conftest import (
    after,
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

WEDDING = (
    "create a 60-second wedding invitation video with our names, date, and romantic "
    "background music — Anna & Ben, June 5, 2027"
)


@pytest.fixture
def uploads():
    return [*photos(5), venue_clip(), song()]


@pytest.fixture
def wedding(uploads):
    """A session after the wedding generation: video, BGM, title and overlays, 60 s."""
    session = view(uploads)
    return after(run(WEDDING, session), session)


@pytest.fixture
def plain(uploads):
    """Five photos and the clip, 15 s, video track only (no music, no text)."""
    segments = [
        Segment(
            start=i * 2400, duration=2400, src=u.file_id, name=u.filename, fit="cover", zoom=True
        )
        for i, u in enumerate(uploads[:5])
    ]
    segments.append(
        Segment(
            start=12_000, duration=3000, src=uploads[5].file_id, name="venue_clip.mp4", source_in=0
        )
    )
    draft = Draft(
        tracks=[Track(type=TrackType.VIDEO, name="Video", segments=segments)],
        duration=15_000,
        meta=DraftMeta(title="My Video", width=1920, height=1080, fps=30),
    )
    return view(uploads, draft)


def edit(message, session):
    plan = run(message, session)
    assert_plan_well_formed(plan)
    return plan


def others(draft, kind):
    """The draft's tracks other than ``kind``, as wire dicts."""
    return [t.to_wire() for t in draft.tracks if int(t.type) != kind]


# --------------------------------------------------------------------------- text


def test_title_at_the_beginning(plain):
    plan = edit("put a title 'Golden Hour' at the beginning", plain)
    assert plan.intent == "text" and [s.kind for s in plan.steps] == ["edit"]
    assert plan.steps[0].tool == "edit_multitrack"
    draft = plan.final_draft
    (title,) = [s for t in tracks_of(draft, 7) for s in t.segments]
    assert (title.text, title.start, title.duration, title.position) == (
        "Golden Hour",
        0,
        3000,
        "center",
    )
    assert draft.meta.title == "Golden Hour"
    assert draft.duration == 15_000
    assert tracks_of(draft, 0)[0] == tracks_of(plain.draft, 0)[0]


def test_title_at_the_end_with_curly_quotes(plain):
    draft = edit("put a title “The End” at the end", plain).final_draft
    (title,) = [s for t in tracks_of(draft, 7) for s in t.segments]
    assert (title.text, title.start, title.end) == ("The End", 12_000, 15_000)
    assert draft.meta.title == "My Video"  # only an opening title renames the project


@pytest.mark.parametrize(
    ("message", "text", "position", "start", "duration"),
    [
        (
            "add a caption 'See you there!' at the bottom for 5 seconds",
            "See you there!",
            "bottom",
            0,
            5000,
        ),
        ("add the text ‘Save the date’ at the top", "Save the date", "top", 0, 15_000),
        ("put a title 'Hello' in the middle for 4 seconds", "Hello", "center", 0, 4000),
        ("add a title 'Chapter 2' at 5s for 3 seconds", "Chapter 2", "center", 5000, 3000),
        ('add a caption "Sale" from 2s to 6s', "Sale", "bottom", 2000, 4000),
        ("add a title saying Welcome home", "Welcome home", "center", 0, 3000),
        ("在结尾加上文字「谢谢观看」", "谢谢观看", "bottom", 12_000, 3000),
        ("add the caption 'Bye' at the end", "Bye", "bottom", 12_000, 3000),
    ],
)
def test_text_timing_and_position(plain, message, text, position, start, duration):
    draft = edit(message, plain).final_draft
    (segment,) = [s for t in tracks_of(draft, 7) for s in t.segments]
    assert (segment.text, segment.position, segment.start, segment.duration) == (
        text, position, start, duration,
    )  # fmt: skip


def test_names_and_date_as_text(plain):
    draft = edit("add our names Anna and Ben and the date 2027-06-05", plain).final_draft
    assert set(texts_of(draft)) == {"Anna & Ben", "2027-06-05"}


def test_names_and_date_placeholders_when_missing(plain):
    draft = edit("add our names and the date", plain).final_draft
    assert texts_of(draft) == ["[Name] & [Name]", "[Date]"]


def test_new_title_replaces_the_old_one_in_its_place(wedding):
    draft = edit("put a title 'Golden Hour' at the beginning", wedding).final_draft
    assert "Golden Hour" in texts_of(draft) and "You're Invited" not in texts_of(draft)
    assert "Anna & Ben" in texts_of(draft) and "June 5, 2027" in texts_of(draft)
    assert others(draft, 7) == others(wedding.draft, 7)


def test_caption_over_existing_overlays_goes_on_another_track(wedding):
    draft = edit("add a caption 'See you there!' for the whole video", wedding).final_draft
    names = [t.name for t in tracks_of(draft, 7)]
    assert names == ["Title", "Text", "Text 2"]
    assert texts_of(draft)[-1] == "See you there!"


def test_moving_and_retiming_the_title(wedding):
    draft = edit("put the title at the top", wedding).final_draft
    title = tracks_of(draft, 7)[0].segments[0]
    assert (title.text, title.position, title.start) == ("You're Invited", "top", 0)
    draft = edit("make the title last 5 seconds", wedding).final_draft
    assert tracks_of(draft, 7)[0].segments[0].duration == 5000


def test_title_without_text_asks_what_it_should_say(plain):
    plan = run("add a title", plain)
    assert plan.intent == "clarify" and plan.steps == ()
    assert "quotes" in plan.reply


def test_title_on_an_empty_timeline_is_a_text_track_alone():
    plan = edit("put a title 'Golden Hour' at the beginning", view())
    draft = plan.final_draft
    assert [int(t.type) for t in draft.tracks] == [7]
    assert draft.duration == 3000 and draft.export_ready


# --------------------------------------------------------------------------- music


def test_add_lofi_music(plain):
    plan = edit("add lo-fi background music", plain)
    assert plan.intent == "music"
    assert plan.steps[0].text == (
        "I've added lo-fi background music at 35% volume. Open the Music panel to adjust it."
    )
    draft = plan.final_draft
    bgm = bgm_of(draft)
    assert (bgm.src, bgm.volume, bgm.start, bgm.duration, bgm.loop) == (
        "bgm_lofi",
        35,
        0,
        15_000,
        True,
    )
    assert bgm.fade_in and bgm.fade_out
    assert others(draft, 1) == others(plain.draft, 1)


def test_replace_music(wedding):
    draft = edit("change the music to upbeat", wedding).final_draft
    assert bgm_of(draft).src == "bgm_upbeat" and bgm_of(draft).volume == 35
    assert others(draft, 1) == others(wedding.draft, 1)


def test_change_music_without_a_mood_picks_another_track(wedding):
    draft = edit("use different music", wedding).final_draft
    assert bgm_of(draft).src not in (bgm_of(wedding.draft).src, None)


def test_the_generation_uses_the_uploaded_song_whatever_mood_it_names(wedding, uploads):
    assert bgm_of(wedding.draft).src == uploads[-1].file_id  # "romantic" named, a song given


def test_a_song_named_by_its_file_name_becomes_the_music(upbeat, uploads):
    assert bgm_of(upbeat.draft).src == "bgm_upbeat"
    draft = edit(f"use {uploads[-1].filename} as the music", upbeat).final_draft
    assert bgm_of(draft).src == uploads[-1].file_id


@pytest.fixture
def upbeat(wedding):
    """The wedding with library music instead of the uploaded song."""
    return after(edit("change the music to upbeat", wedding), wedding)


def test_use_my_song(upbeat, uploads):
    plan = edit("use my song", upbeat)
    assert bgm_of(plan.final_draft).src == uploads[-1].file_id
    assert bgm_of(plan.final_draft).loop


@pytest.mark.parametrize("message", ["use the uploaded music", "用我上传的音乐"])
def test_uploaded_music_phrases(upbeat, uploads, message):
    assert bgm_of(edit(message, upbeat).final_draft).src == uploads[-1].file_id


def test_use_my_song_without_one_explains(plain):
    session = view(photos(5), plain.draft)
    plan = run("use my song", session)
    assert plan.steps == () and "Upload" in plan.reply


def test_remove_music(wedding):
    plan = edit("remove the music", wedding)
    assert plan.intent == "remove"
    draft = plan.final_draft
    assert tracks_of(draft, 1) == []
    assert others(draft, 1) == others(wedding.draft, 1) and draft.duration == 60_000


@pytest.mark.parametrize(
    ("message", "volume"),
    [
        ("make the music louder", 50),
        ("make the music quieter", 20),
        ("set the music volume to 50%", 50),
        ("turn the music down", 20),
        ("music volume 70", 70),
        ("mute the music", 0),
        ("音乐调小一点", 20),
        ("把音乐音量调到百分之六十", 60),
    ],
)
def test_music_volume(wedding, message, volume):
    plan = edit(message, wedding)
    assert plan.intent == "volume"
    draft = plan.final_draft
    assert bgm_of(draft).volume == volume and bgm_of(draft).src == bgm_of(wedding.draft).src
    assert others(draft, 1) == others(wedding.draft, 1)


def test_add_music_with_a_volume(plain):
    assert bgm_of(edit("add calm music at 50% volume", plain).final_draft).volume == 50


def test_clip_volume(wedding):
    draft = edit("mute the clips", wedding).final_draft
    clip = video_segments(draft)[-1]
    assert clip.volume == 0 and all(s.volume is None for s in video_segments(draft)[:5])
    assert bgm_of(draft).volume == 35


def test_same_music_again_changes_nothing(upbeat):
    plan = run("add upbeat music", upbeat)
    assert plan.steps == () and plan.intent == "music" and "already" in plan.reply


def test_naming_the_same_music_again_resets_its_level(upbeat):
    quiet = after(edit("make the music quieter", upbeat), upbeat)
    assert bgm_of(quiet.draft).volume == 20
    assert bgm_of(edit("add upbeat music", quiet).final_draft).volume == 35
    switched = edit("change the music to calm", quiet).final_draft
    assert (bgm_of(switched).src, bgm_of(switched).volume) == ("bgm_calm", 20)


def test_music_on_an_empty_timeline_gets_a_default_length():
    draft = edit("add lo-fi background music", view()).final_draft
    assert draft.duration == 15_000 and bgm_of(draft).duration == 15_000


# --------------------------------------------------------------------------- canvas


@pytest.mark.parametrize(
    ("message", "canvas"),
    [
        ("make it portrait", (1080, 1920)),
        ("switch to vertical 9:16", (1080, 1920)),
        ("改成竖屏", (1080, 1920)),
        ("make it square", (1080, 1080)),
        ("change to 1:1", (1080, 1080)),
        ("make it 720p", (1280, 720)),
        ("switch to 4K, 9:16", (1080, 1920)),
    ],
)
def test_canvas_changes(wedding, message, canvas):
    plan = edit(message, wedding)
    assert plan.intent == "canvas"
    step = plan.steps[0]
    assert step.canvas == canvas
    assert (step.draft.meta.width, step.draft.meta.height) == canvas
    assert step.draft.tracks == wedding.draft.tracks
    assert "regenerat" in step.text.lower() or "重新生成" in step.text


def test_portrait_mentions_phones(wedding):
    text = edit("make it portrait", wedding).steps[0].text
    assert "phones" in text


def test_portrait_then_landscape_again(wedding):
    portrait = after(edit("make it portrait", wedding), wedding)
    assert edit("make it landscape", portrait).steps[0].canvas == (1920, 1080)


def test_same_canvas_changes_nothing(wedding):
    plan = run("make it 16:9", wedding)
    assert plan.steps == () and "already" in plan.reply


# --------------------------------------------------------------------------- transitions


def test_add_and_remove_transitions(plain):
    draft = edit("add transitions", plain).final_draft
    segments = video_segments(draft)
    assert all(s.transition.type == "fade" and s.transition.duration == 500 for s in segments[:-1])
    assert [(s.start, s.duration) for s in segments] == [
        (s.start, s.duration) for s in video_segments(plain.draft)
    ]
    session = view(plain.uploads, draft)
    cleared = edit("remove the transitions", session).final_draft
    assert cleared == plain.draft


def test_dissolve_transitions_of_a_second(plain):
    draft = edit("add 1 second dissolve transitions", plain).final_draft
    assert {s.transition.type for s in video_segments(draft)[:-1]} == {"dissolve"}
    assert {s.transition.duration for s in video_segments(draft)[:-1]} == {1000}


# --------------------------------------------------------------------------- durations


def test_each_photo_three_seconds(wedding):
    plan = edit("make each photo 3 seconds", wedding)
    assert plan.intent == "duration"
    draft = plan.final_draft
    segments = video_segments(draft)
    assert [s.duration for s in segments] == [3000] * 5 + [3000]
    assert draft.duration == 18_000
    assert bgm_of(draft).duration == 18_000
    assert all(s.end <= 18_000 for t in tracks_of(draft, 7) for s in t.segments)
    assert [s.src for s in segments] == [s.src for s in video_segments(wedding.draft)]


def test_each_clip_cannot_outlast_its_source(plain):
    plan = run("make each clip 10 seconds", plain)
    assert plan.steps == ()  # the only clip lasts 3 s and already plays whole
    assert "footage" in plan.reply
    draft = edit("make every segment 4 seconds", plain).final_draft
    assert [s.duration for s in video_segments(draft)] == [4000] * 5 + [3000]
    assert draft.duration == 23_000


def test_total_length_shorter(wedding):
    plan = edit("make it 30 seconds", wedding)
    draft = plan.final_draft
    assert draft.duration == 30_000
    segments = video_segments(draft)
    assert segments[-1].end == 30_000
    assert [s.src for s in segments] == [s.src for s in video_segments(wedding.draft)]
    assert segments[0].duration == pytest.approx(5700, abs=2)
    assert bgm_of(draft).duration == 30_000
    assert set(texts_of(draft)) == set(texts_of(wedding.draft))
    assert all(s.end <= 30_000 for t in tracks_of(draft, 7) for s in t.segments)


def test_total_length_longer_keeps_clips_within_their_source(plain):
    draft = edit("make the video 60 seconds long", plain).final_draft
    segments = video_segments(draft)
    assert draft.duration == 60_000 and segments[-1].end == 60_000
    assert segments[-1].duration == 3000  # the 3 s clip cannot stretch
    assert {s.duration for s in segments[:5]} == {11_400}


def test_generated_clip_repeats_to_a_longer_length():
    session = view()
    session = after(run("make me a 10-second sunset timelapse video", session), session)
    plan = edit("make it 25 seconds", session)
    segments = video_segments(plan.final_draft)
    assert [s.duration for s in segments] == [10_000, 10_000, 5000]
    assert len({s.src for s in segments}) == 1
    assert "repeated" in plan.steps[0].text


def test_chinese_total_length(wedding):
    plan = edit("改成30秒", wedding)
    assert plan.language == "zh" and plan.final_draft.duration == 30_000


# --------------------------------------------------------------------------- remove / reorder


def test_remove_the_title(wedding):
    draft = edit("remove the title", wedding).final_draft
    assert "You're Invited" not in texts_of(draft)
    assert "Anna & Ben" in texts_of(draft)
    assert others(draft, 7) == others(wedding.draft, 7)


def test_remove_all_text(wedding):
    draft = edit("remove all the text", wedding).final_draft
    assert tracks_of(draft, 7) == []


def test_remove_the_second_clip(uploads):
    mixed = [uploads[0], uploads[5], uploads[1], venue_clip(8, 2.0)]
    session = view(mixed)
    session = after(run("make a 20-second video from my files", session), session)
    before = video_segments(session.draft)
    plan = edit("remove the second clip", session)
    draft = plan.final_draft
    segments = video_segments(draft)
    assert [s.src for s in segments] == [before[0].src, before[1].src, before[2].src]
    assert [s.duration for s in segments] == [s.duration for s in before[:3]]
    assert draft.duration == sum(s.duration for s in before[:3])
    assert bgm_of(draft).duration == draft.duration


def test_remove_the_third_photo_keeps_the_rest(plain):
    draft = edit("delete the third photo", plain).final_draft
    names = [s.name for s in video_segments(draft)]
    assert names == ["photo_1.jpg", "photo_2.jpg", "photo_4.jpg", "photo_5.jpg", "venue_clip.mp4"]
    assert draft.duration == 12_600


def test_remove_an_item_that_does_not_exist(plain):
    plan = run("remove the ninth photo", plain)
    assert plan.steps == () and "6 segment" in plan.reply


def test_move_the_last_photo_to_the_start(plain):
    plan = edit("move the last photo to the start", plain)
    assert plan.intent == "reorder"
    draft = plan.final_draft
    names = [s.name for s in video_segments(draft)]
    assert names == [
        "photo_5.jpg",
        "photo_1.jpg",
        "photo_2.jpg",
        "photo_3.jpg",
        "photo_4.jpg",
        "venue_clip.mp4",
    ]
    assert draft.duration == 15_000
    assert "drag and drop" in plan.steps[0].text


@pytest.mark.parametrize(
    ("message", "order"),
    [
        ("swap the first two", [1, 0, 2, 3, 4, 5]),
        ("swap the first and last photos", [4, 1, 2, 3, 0, 5]),
        ("move photo 3 to position 1", [2, 0, 1, 3, 4, 5]),
        ("move the first photo to the end", [1, 2, 3, 4, 5, 0]),
        ("put the clip first", [5, 0, 1, 2, 3, 4]),
        ("reverse the order", [5, 4, 3, 2, 1, 0]),
        ("把最后一张照片移到开头", [4, 0, 1, 2, 3, 5]),
        ("交换前两张", [1, 0, 2, 3, 4, 5]),
    ],
)
def test_reorder(plain, message, order):
    draft = edit(message, plain).final_draft
    before = video_segments(plain.draft)
    assert [s.src for s in video_segments(draft)] == [before[i].src for i in order]
    assert [s.duration for s in video_segments(draft)] == [before[i].duration for i in order]


def test_reorder_keeps_transitions_between_items(plain):
    session = view(plain.uploads, edit("add transitions", plain).final_draft)
    draft = edit("move the last photo to the start", session).final_draft
    segments = video_segments(draft)
    assert all(s.transition for s in segments[:-1]) and segments[-1].transition is None


# --------------------------------------------------------------------------- several, Chinese


def test_two_edits_in_one_message(plain):
    plan = edit("add lo-fi music and put a title 'Hello' at the end", plain)
    assert [s.kind for s in plan.steps] == ["edit", "edit"]
    draft = plan.final_draft
    assert bgm_of(draft).src == "bgm_lofi"
    assert texts_of(draft) == ["Hello"]
    assert plan.steps[1].draft.tracks[:2] == plan.steps[0].draft.tracks[:2]


def test_chinese_music(plain):
    plan = edit("添加浪漫的背景音乐", plain)
    assert plan.language == "zh" and plan.intent == "music"
    assert bgm_of(plan.final_draft).src == "bgm_romantic"
    assert "打开音乐面板" in plan.steps[0].text


def test_chinese_title(plain):
    plan = edit("加上标题「新年快乐」", plain)
    assert plan.language == "zh"
    draft = plan.final_draft
    assert texts_of(draft) == ["新年快乐"]
    assert tracks_of(draft, 7)[0].segments[0].start == 0
    assert "标题「新年快乐」" in plan.steps[0].text


def test_chinese_portrait(wedding):
    plan = edit("改成竖屏", wedding)
    assert plan.language == "zh" and plan.steps[0].canvas == (1080, 1920)
    assert "竖屏" in plan.steps[0].text


def test_chinese_remove_music(wedding):
    plan = edit("删除背景音乐", wedding)
    assert tracks_of(plan.final_draft, 1) == [] and plan.language == "zh"


# --------------------------------------------------------------------------- empty timeline


@pytest.mark.parametrize(
    "message",
    ["remove the music", "make it 30 seconds", "swap the first two", "add transitions",
     "make each photo 3 seconds", "make the music louder"],
)  # fmt: skip
def test_edits_that_need_a_video_ask_for_media_first(message):
    plan = run(message, view())
    assert plan.steps == () and plan.intent == "clarify"
    assert "Upload" in plan.reply


def test_canvas_on_an_empty_timeline_is_still_set():
    plan = edit("make it portrait", view())
    assert plan.steps[0].canvas == (1080, 1920) and plan.final_draft.tracks == []


def test_names_and_a_date_given_later_fill_the_placeholders_where_they_stand(uploads):
    session = view(uploads[:5])
    asked = after(
        run("create a 60-second wedding invitation video with our names and date", session), session
    )
    texts = [s.text for t in asked.draft.tracks if t.type.value == 7 for s in t.segments]
    assert "[Name] & [Name]" in texts and "[Date]" in texts
    plan = edit("our names are Emma and James, and the date is June 14, 2026", asked)
    filled = [s.text for t in plan.final_draft.tracks if t.type.value == 7 for s in t.segments]
    assert "Emma & James" in filled and "June 14, 2026" in filled
    assert not any(t and t.startswith("[") for t in filled)  # replaced, not laid over
    assert len(filled) == len(texts) and "Emma & James" in plan.steps[-1].text


def test_invitation_videos_is_what_is_made_not_which_uploads_to_use(uploads):
    plan = run(
        "creating personalized wedding invitation videos to share with guests", view(uploads)
    )
    srcs = {s.src for s in plan.steps[0].draft.tracks[0].segments}
    assert {u.file_id for u in uploads[:5]} <= srcs  # the photos, not only the clip
