"""What the agent says for the style, fade, speed, colour, sticker, subtitle, trim and split
edits (English, Chinese); ``wording.TEXTS`` includes these."""

from __future__ import annotations

EDIT_TEXTS: dict[str, tuple[str, str]] = {
    "no_change": (
        "That's already how it is, so nothing changed.",
        "已经是这样了，无需修改。",
    ),
    # text style
    "style_what_title": ("the title", "标题"),
    "style_what_text": ("the text", "文字"),
    "style_set": (
        "I've restyled {what}: {changes}. Preview it in the timeline.",
        "已修改{what}样式：{changes}。可在时间线中预览。",
    ),
    "style_same": (
        "{what} already looks like that, so nothing changed.",
        "{what}已经是这个样式，无需修改。",
    ),
    "style_ask": (
        "What should change about {what}: its colour, size, font (sans, serif or mono), bold "
        "or shadow?",
        "想怎么修改{what}：颜色、字号、字体（无衬线、衬线、等宽）、加粗还是阴影？",
    ),
    "style_no_text": (
        "There's no {what} on the timeline yet, so there is nothing to restyle. What should it "
        "say?",
        "时间线上还没有{what}，无法修改样式。要添加什么文字？",
    ),
    "style_no_cjk_font": (
        "The serif and mono fonts have no Chinese characters, so {what} keeps its font. "
        "Would you like a different colour, size or bold instead?",
        "衬线和等宽字体不含中文字符，{what}保持原字体。要改颜色、字号或加粗吗？",
    ),
    # fades
    "fade_video": ("the video", "视频"),
    "fade_music": ("the background music", "背景音乐"),
    "fade_both": ("fade-in and fade-out", "淡入和淡出"),
    "fade_in": ("fade-in", "淡入"),
    "fade_out": ("fade-out", "淡出"),
    "fade_set": (
        "I've added a {seconds}-second {ends} to {what}.",
        "已为{what}添加{seconds}秒的{ends}效果。",
    ),
    "fade_removed": ("I've removed the {ends} of {what}.", "已去掉{what}的{ends}效果。"),
    "fade_same": (
        "That fade is already there, so nothing changed.",
        "已经有这个淡入淡出效果，无需修改。",
    ),
    "fade_no_music": (
        "There's no background music to fade yet. Would you like me to add some?",
        "还没有背景音乐可以淡入淡出。需要先添加背景音乐吗？",
    ),
    # speed
    "speed_set": (
        "I've set {what} to {speed}x speed; the video is now {seconds} s long.",
        "已将{what}调整为{speed}倍速，视频现在时长{seconds}秒。",
    ),
    "speed_same": (
        "{what} already plays at {speed}x (the limits are 0.25x to 4x), so nothing changed.",
        "{what}已经是{speed}倍速（范围0.25到4倍），无需修改。",
    ),
    "speed_ask": (
        'How fast should it play? For example "2x speed" or "half speed".',
        '要调成多快？例如"2倍速"或"半速"。',
    ),
    # colour
    "look_set": ("For {what} I've {changes}.", "已为{what}{changes}。"),
    "look_same": (
        "{what} already looks like that, so nothing changed.",
        "{what}已经是这个效果，无需修改。",
    ),
    # stickers
    "sticker_added": (
        "I've added a {sticker} sticker ({symbol}) at the {where} from {start} to {end} s.",
        "已在{where}添加{sticker}贴纸（{symbol}），显示{start}–{end}秒。",
    ),
    "sticker_ask": (
        "I have these stickers: {choices}. Which one would you like?",
        "可用的贴纸有：{choices}。想要哪一个？",
    ),
    # subtitles
    "subtitles_added": (
        "I've added {count} subtitles from the voiceover, timed to the narration.",
        "已根据配音添加{count}条字幕，与旁白同步。",
    ),
    "subtitles_same": (
        "The subtitles are already on the timeline, so nothing changed.",
        "字幕已经在时间线上，无需修改。",
    ),
    "subtitles_need_voice": (
        "There's no voiceover to take subtitles from. What should the captions say (in quotes)?",
        "没有可生成字幕的配音。字幕要写什么（请放在引号里）？",
    ),
    # trim and split
    "trim_set": (
        "I've trimmed {what} to {seconds} s (cut {cut} s from its end); the video is now "
        "{total} s.",
        "已将{what}剪到{seconds}秒（剪掉结尾{cut}秒），视频现在时长{total}秒。",
    ),
    "trim_start": (
        "I've cut {cut} s off the start of {what}, leaving {seconds} s; the video is now "
        "{total} s.",
        "已剪掉{what}开头{cut}秒，剩余{seconds}秒，视频现在时长{total}秒。",
    ),
    "trim_which": (
        'Which item should I trim? For example "trim the second clip to 3 seconds".',
        '要剪哪个片段？例如"把第二个片段剪到3秒"。',
    ),
    "trim_longer": (
        "{what} is only {seconds} s long already, so nothing changed.",
        "{what}本来只有{seconds}秒，无需修改。",
    ),
    "trim_too_short": (
        "That would leave nothing of {what} ({seconds} s). How much should I keep?",
        "这样{what}（{seconds}秒）就不剩了。要保留多长？",
    ),
    "split_done": (
        "I've split {what} at {at} s into two parts ({first} s and {second} s).",
        "已在{at}秒处将{what}分割为两段（{first}秒和{second}秒）。",
    ),
    "split_item": ("item {index}", "第{index}个片段"),
    "split_where": (
        'Where should I split it? For example "split the second clip at 2 seconds".',
        '要在哪里分割？例如"把第二个片段在2秒处分割"。',
    ),
    "split_outside": (
        "That point is outside the item ({seconds} s long), so nothing changed. Where should I "
        "split it?",
        "分割点不在该片段内（片段长{seconds}秒），未做修改。要在哪里分割？",
    ),
}
