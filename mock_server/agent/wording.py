"""What the agent says, in English and Chinese, in the words of a GUI the user does not have.

The real backend talks as if the user sat in front of its web editor ("click the Export
button", "open the Music panel", "drag and drop", 点击, 打开, 拖拽, 导出); clients translate
those phrases into API calls, so the mock must use them too.
"""

from __future__ import annotations

from typing import Literal

from nemo_mock.mock_server.agent.parsing import is_chinese
from nemo_mock.mock_server.agent.wording_edits import EDIT_TEXTS

Language = Literal["en", "zh"]

TEXTS: dict[str, tuple[str, str]] = {
    # generation
    "ready": (
        "Your video is ready! Preview it in the timeline, then click the Export button to "
        "download.",
        "视频已生成！请在时间线中预览，然后点击导出按钮下载。",
    ),
    "raw_uploads": (
        "I've arranged your {count} files in upload order into a {seconds}-second video.",
        "已按上传顺序将{count}个素材剪辑成{seconds}秒的视频。",
    ),
    "logo_note": (
        " Your logo ({name}) sits in the top-left corner over the shots and closes the video "
        "as an end card.",
        "您的标志（{name}）放在画面左上角，并作为片尾卡片收尾。",
    ),
    "adding_touches": (
        " Adding the finishing touches (music and titles) now…",
        "正在添加背景音乐和标题等后期效果…",
    ),
    "adding_music": (
        " Adding background music now…",
        "正在添加背景音乐…",
    ),
    "raw_text": (
        "I've generated a {seconds}-second clip{subject}.",
        "已生成{seconds}秒的{subject}视频片段。",
    ),
    "of_subject": (" of {subject}", "{subject}"),
    "raw_script": (
        "I've split your script into {scenes} scenes and recorded a {seconds}-second "
        "voiceover. Adding captions and background music now…",
        "已将脚本拆分为{scenes}个场景，并生成了{seconds}秒的配音，正在添加字幕和背景音乐…",
    ),
    "raw_script_one": (
        "I've turned your script into one scene and recorded a {seconds}-second "
        "voiceover. Adding captions and background music now…",
        "已将脚本作为一个场景，并生成了{seconds}秒的配音，正在添加字幕和背景音乐…",
    ),
    "portrait_canvas_note": (
        " Most of your photos are portrait, so the video is vertical ({size}) and shows"
        ' them whole; say "landscape" for 1920×1080.',
        "你的照片大多是竖拍的，所以视频做成了竖屏（{size}），画面完整不裁切；如需横屏请说“横屏”。",
    ),
    "transitions_added_note": (
        " Fade transitions are applied between the clips.",
        "片段之间已添加淡入淡出转场。",
    ),
    "tip_photos": (
        " Tip: fewer than 10 images generate faster.",
        "提示：少于10张图片生成速度更快。",
    ),
    "tip_script": (
        " Tip: scripts under 60 seconds generate faster and perform better on social platforms.",
        "提示：60秒以内的脚本生成更快，在社交平台上效果也更好。",
    ),
    # music
    "music_added": (
        "I've added {mood} background music at {volume}% volume. Open the Music panel to "
        "adjust it.",
        "已添加{mood}背景音乐，音量{volume}%。打开音乐面板即可调整。",
    ),
    "music_replaced": (
        "I've switched the background music to {mood} ({volume}% volume). Open the Music "
        "panel to adjust it.",
        "已将背景音乐换成{mood}（音量{volume}%）。打开音乐面板即可调整。",
    ),
    "music_same": (
        "The background music is already {mood}, at {volume}% volume. Open the Music panel "
        "to adjust it.",
        "当前已经是{mood}背景音乐（音量{volume}%）。打开音乐面板即可调整。",
    ),
    "music_removed": (
        "I've removed the background music. Click Music in the toolbar whenever you want "
        "to add a track again.",
        "已删除背景音乐。需要时点击工具栏中的音乐即可重新添加。",
    ),
    "no_song": (
        "I couldn't find an uploaded song in this project. Click Upload to add an MP3, WAV, "
        "M4A or AAC file, then ask me again.",
        "当前项目中没有上传的音乐。请点击上传按钮添加MP3、WAV、M4A或AAC文件，然后再告诉我。",
    ),
    "volume_set": (
        "I've set the {target} volume to {volume}%. Open the Music panel to fine-tune it.",
        "已将{target}音量调整为{volume}%。打开音乐面板可以进一步微调。",
    ),
    "volume_nothing": (
        "There's no {target} on the timeline to adjust yet.",
        "时间线上还没有可以调整的{target}。",
    ),
    # text
    "title_added": (
        'I\'ve added the title "{text}" ({start}–{end} s, {position}). Double-click it on '
        "the timeline to change the font or colour.",
        "已添加标题「{text}」（{start}–{end}秒，{position}）。在时间线上双击即可修改字体或颜色。",
    ),
    "text_added": (
        "I've added {count} text overlay(s): {texts}. Double-click a text on the timeline to "
        "edit it.",
        "已添加{count}条文字：{texts}。在时间线上双击文字即可编辑。",
    ),
    "placeholders_filled": (
        "I've put your details in place of the placeholders: {texts}. Double-click a text on "
        "the timeline to edit it.",
        "已用你提供的信息替换占位文字：{texts}。在时间线上双击文字即可编辑。",
    ),
    "title_moved": (
        'I\'ve moved the title "{text}" to {start}–{end} s ({position}).',
        "已将标题「{text}」调整到{start}–{end}秒（{position}）。",
    ),
    "post_texts": (
        'I\'ve added the title "{title}"{overlays}. Double-click any text on the timeline to '
        "edit it.",
        "已添加标题「{title}」{overlays}。在时间线上双击文字即可编辑。",
    ),
    "post_overlays": (" and text overlays ({texts})", "以及文字（{texts}）"),
    "ask_details": (
        " What should the text in brackets say? Tell me the details and I'll put them in.",
        "方括号中的文字要写什么？告诉我具体信息，我来替换。",
    ),
    "ask_product": (
        " What's the product called? Tell me and I'll put its name in the titles.",
        "产品叫什么名字？告诉我后我会把它写进标题。",
    ),
    "need_text": (
        "What should the text say? Put it in quotes, for example: put a title 'Golden Hour' "
        "at the beginning.",
        "请告诉我文字内容，并放在引号里，例如：加上标题「新年快乐」。",
    ),
    # canvas
    "canvas_set": (
        "I've changed the canvas to {orientation} {width}x{height} ({aspect}).",
        "已将画布改为{orientation} {width}x{height}（{aspect}）。",
    ),
    "canvas_portrait_tip": (
        " Portrait framing looks best on phones, where most people will watch it.",
        "竖屏更适合手机观看。",
    ),
    "canvas_regenerate": (
        " Note: changing the aspect ratio usually needs a regenerate for the best framing — "
        "preview it in the timeline and click Regenerate if anything looks cropped.",
        "注意：更改画面比例通常需要重新生成才能获得最佳构图——请在时间线中预览，如有裁切可点击重新生成。",
    ),
    "canvas_same": (
        "The canvas is already {width}x{height} ({aspect}).",
        "画布已经是{width}x{height}（{aspect}）。",
    ),
    # timeline edits
    "transitions_on": (
        "I've added {type} transitions ({seconds} s) between the clips. Preview them in the "
        "timeline.",
        "已在片段之间添加{type}转场（{seconds}秒）。请在时间线中预览。",
    ),
    "transitions_off": (
        "I've removed the transitions; the clips now cut directly. Preview it in the timeline.",
        "已删除转场，片段之间改为直接切换。请在时间线中预览。",
    ),
    "transitions_need_two": (
        "Transitions go between clips, and the timeline doesn't have two long enough to join. "
        "Add more photos or clips first.",
        "转场需要加在两个片段之间，当前时间线上没有足够的片段。请先添加更多照片或视频。",
    ),
    "durations_set": (
        "{what} now lasts {seconds} s; the video is {total} s long. Preview it in the timeline.",
        "{what}现在持续{seconds}秒，视频总长{total}秒。请在时间线中预览。",
    ),
    "clips_capped": (
        " Clips can't play longer than their own footage, so those keep their length.",
        "视频片段不能超过原始长度，因此保持原长。",
    ),
    "length_set": (
        "The video is now {total} s long. I've rescaled the clips and kept the music and text "
        "in sync. Preview it in the timeline.",
        "视频时长已调整为{total}秒，片段已按比例缩放，音乐和文字保持同步。请在时间线中预览。",
    ),
    "length_limited": (
        " (Your clips are only {total} s long in total, so I've repeated them to fill the time.)",
        "（素材总长度不足，已循环播放以填满时长。）",
    ),
    "removed": (
        "I've removed {what}. You can drag and drop clips on the timeline to reorder them.",
        "已删除{what}。可以在时间线上拖拽片段调整顺序。",
    ),
    "reordered": (
        "I've {what}. You can drag and drop clips on the timeline to reorder them.",
        "已{what}。也可以在时间线上拖拽片段调整顺序。",
    ),
    "nothing_to_edit": (
        "There's nothing on the timeline yet. Click Upload or drag and drop your photos and "
        "clips here, then tell me what video to make — for example: turn my photos into a "
        "30-second video with music.",
        "时间线上还没有内容。请点击上传或直接拖拽照片和视频到这里，然后告诉我想做什么视频，例如：把我的照片做成30秒的视频并配上音乐。",
    ),
    "no_such_segment": (
        "I couldn't find that item on the timeline — it has {count} segment(s). Tell me "
        "which one, for example: remove the second clip.",
        "时间线上找不到这个片段——目前共有{count}个片段。请说明是哪一个，例如：删除第二个片段。",
    ),
    "nothing_removed": (
        "I couldn't find {what} on the timeline, so nothing was removed.",
        "时间线上没有{what}，无需删除。",
    ),
    "need_uploads": (
        "I don't see any photos or clips in this project yet. Click Upload or drag and drop "
        "your files here, then ask me again.",
        "当前项目还没有照片或视频。请点击上传或直接拖拽文件到这里，然后再告诉我。",
    ),
    "need_script": (
        "Please paste the script text in your message (for example: turn this script into a "
        "short promo video with voiceover: <your script>).",
        "请在消息中粘贴脚本内容（例如：把这段脚本做成带配音的宣传视频：<你的脚本>）。",
    ),
    # chat
    "clarify": (
        "I'm not sure what you'd like me to do. Try something specific, like \"add lo-fi "
        'background music", "put a title \'Golden Hour\' at the beginning", "make it 30 '
        'seconds" or "turn my photos into a 30-second video with music".',
        "我不太确定你想做什么。可以说得具体一些，例如：“添加浪漫的背景音乐”、“加上标题「新年快乐」”、“改成30秒”或“把我的照片做成30秒的视频”。",
    ),
    "export": (
        "Click the Export button in the top-right corner to render and download your video as "
        "an MP4. Exporting is free.",
        "点击右上角的导出按钮即可渲染并下载MP4视频，导出免费。",
    ),
    "export_empty": (
        "There's nothing to export yet. Upload photos or clips and tell me what video to make "
        "first; then click the Export button.",
        "还没有可以导出的内容。请先上传素材并告诉我要做什么视频，然后点击导出按钮。",
    ),
    "credits": (
        "You can check your credit balance under Account → Billing. Generating a video uses "
        "about 100 credits per clip and editing about 50; exporting is free.",
        "请在账户 → 账单中查看积分余额。生成视频每个片段约消耗100积分，编辑约50积分，导出免费。",
    ),
    "status": (
        "Here's your timeline — {summary}. Preview it in the timeline panel.",
        "当前时间线：{summary}。请在时间线面板中预览。",
    ),
    "status_empty": (
        "The timeline is empty. Click Upload to add photos or clips, or describe the video "
        "you want.",
        "时间线是空的。点击上传添加照片或视频，或者直接描述你想要的视频。",
    ),
    "upload": (
        "Click the Upload button or drag and drop your photos, clips or music here. "
        "Supported: MP4, MOV, AVI, WebM, MKV, JPG, PNG, GIF, WebP, MP3, WAV, M4A, AAC.",
        "点击上传按钮，或把照片、视频、音乐拖拽到这里。支持MP4、MOV、AVI、WebM、MKV、JPG、PNG、GIF、WebP、MP3、WAV、M4A、AAC。",
    ),
    "greeting": (
        "Hi! Drop your photos and clips here (or click Upload) and tell me what you need — "
        "for example: create a 60-second wedding invitation video with our names, date, and "
        "romantic background music.",
        "你好！把照片和视频拖拽到这里（或点击上传），然后告诉我你的需求，例如：生成一个30秒的视频，配上浪漫的背景音乐。",
    ),
    "thanks": (
        "You're welcome! Preview your video in the timeline and click the Export button when "
        "you're happy with it.",
        "不客气！请在时间线中预览，满意后点击导出按钮即可。",
    ),
    "undo": (
        "Click the Undo button above the timeline (or press Ctrl+Z) to revert the last change.",
        "点击时间线上方的撤销按钮（或按Ctrl+Z）即可撤销上一步操作。",
    ),
    "too_many": (
        "That would put more on the timeline than it can hold. Remove a few items first.",
        "时间线上的内容已达上限，请先删除一些内容。",
    ),
}
TEXTS.update(EDIT_TEXTS)

MOOD_LABELS: dict[str, tuple[str, str]] = {
    "romantic": ("Romantic", "浪漫"),
    "lofi": ("Lo-fi", "Lo-fi"),
    "upbeat": ("Upbeat", "欢快"),
    "cinematic": ("Cinematic", "电影感"),
    "calm": ("Calm", "舒缓"),
}
POSITION_LABELS: dict[str, tuple[str, str]] = {
    "top": ("top", "顶部"),
    "center": ("centre", "居中"),
    "bottom": ("bottom", "底部"),
}
ORIENTATION_LABELS: dict[str, tuple[str, str]] = {
    "portrait": ("portrait", "竖屏"),
    "landscape": ("landscape", "横屏"),
    "square": ("square", "方形"),
}
THEME_TITLES: dict[str, tuple[str, str]] = {
    "wedding": ("You're Invited", "诚挚邀请"),
    "birthday": ("Happy Birthday!", "生日快乐"),
    "new_year": ("Happy New Year", "新年快乐"),
    "promo": ("Introducing", "全新登场"),
    "travel": ("Travel Memories", "旅行回忆"),
}
WORDS: dict[str, tuple[str, str]] = {
    "my_video": ("My Video", "我的视频"),
    "music": ("background music", "背景音乐"),
    "clips": ("clip audio", "视频原声"),
    "voiceover": ("voiceover", "配音"),
    "title": ("the title", "标题"),
    "text": ("the text overlays", "文字"),
    "photo": ("photo", "照片"),
    "clip": ("clip", "视频片段"),
    "segment": ("segment", "片段"),
    "names_placeholder": ("[Name] & [Name]", "[姓名] & [姓名]"),
    "date_placeholder": ("[Date]", "[日期]"),
    "headline_placeholder": ("[Your headline]", "[你的标题]"),
    "feature_placeholder": ("[Key feature]", "[产品亮点]"),
    "cta_placeholder": ("[Call to action]", "[行动号召]"),
    "text_placeholder": ("[Your text here]", "[在此输入文字]"),
    "fade": ("fade", "淡入淡出"),
    "dissolve": ("dissolve", "溶解"),
    "wipeleft": ("wipe", "擦除"),
    "wiperight": ("wipe", "擦除"),
    "slideleft": ("slide", "滑动"),
    "slideright": ("slide", "滑动"),
    "circleopen": ("circle", "圆形展开"),
}


def resolve_language(session_language: str | None, message: str) -> Language:
    """The session language if set (zh* → Chinese), else Chinese when the message has CJK."""
    if session_language:
        return "zh" if session_language.lower().startswith("zh") else "en"
    return "zh" if is_chinese(message) else "en"


def say(key: str, lang: Language, **values: object) -> str:
    en, zh = TEXTS[key]
    return (zh if lang == "zh" else en).format(**values)


def pick(table: dict[str, tuple[str, str]], key: str, lang: Language) -> str:
    en, zh = table[key]
    return zh if lang == "zh" else en


def seconds_text(ms: int) -> str:
    """Milliseconds as a short seconds figure: 60000 → "60", 1500 → "1.5"."""
    return f"{round(ms / 1000, 1):g}"


def join_texts(texts: list[str], lang: Language) -> str:
    quoted = [f"「{t}」" if lang == "zh" else f'"{t}"' for t in texts]
    return ("、" if lang == "zh" else ", ").join(quoted)
