"""Words more than one edit kind's detector reads (English and Chinese)."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edits.kind import words

REMOVE = words(
    r"\b(?:remove|delete|get\s+rid\s+of|take\s+(?:out|off|away)|erase|cut\s+out|strip)\b"
    r"|(?<!and\s)\bdrop\b|\bclear\s+(?:the\s+)?(?:music|text|title|transitions)"
    r"|\b(?:no|without)\s+(?:background\s+)?(?:music|bgm|title|text|transitions?|voice-?over)\b"
    r"|删除|去掉|删掉|移除|去除|拿掉|不要|取消|删"
)
TEXT_WORDS = words(
    r"\b(?:titles?|heading|headline|captions?|subtitles?|texts?|overlays?|words|lower\s+third"
    r"|names?|date|tagline|slogan)\b|标题|字幕|文字|文本|标语|片名|名字|姓名|日期"
)
MUSIC_WORDS = words(
    r"\b(?:music|bgm|songs?|soundtrack|tune|melody|background\s+track|beats?)\b"
    r"|音乐|配乐|背景乐|歌曲|歌|曲子"
)
TRANSITION = words(
    r"\b(?:transitions?|crossfades?|cross-fades?|dissolves?|wipes?|fades?\s+between)\b"
    r"|转场|过渡|淡入淡出"
)
