"""A couple's names: "Anna & Ben", "张三和李四"."""

from __future__ import annotations

import re

_NOT_NAMES_TEXT = """
    a an and the i me my our we us you your it this that these those with for from into to of
    in on at by as or but please can could would will should just also then now here there
    add put make create turn generate convert use set change remove delete move swap replace
    title titles text texts caption captions music song songs video videos photo photos image
    images picture pictures clip clips slideshow montage date dates name names invitation
    wedding promo product products background transitions transition overlay overlays
    voiceover script smooth romantic upbeat calm cinematic lofi epic happy new year love
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday mp4 hd full portrait landscape square vertical horizontal
    black white red blue green gold golden hour sunset ocean city night start end beginning
    instagram tiktok youtube facebook whatsapp reels shorts story stories first second last
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_EN_NAMES_RE = re.compile(
    r"(?<![\w'’])([A-Z][a-z]{1,20}(?:-[A-Z][a-z]{1,20})?)\s*(?:&|\+|\band\b|＆)\s*"
    r"([A-Z][a-z]{1,20}(?:-[A-Z][a-z]{1,20})?)(?![\w'’])"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤欧司上诸"
)
_ZH_NAME = rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}"
_ZH_NAMES_RE = re.compile(rf"({_ZH_NAME})\s*(?:和|与|跟|&|＆|、)\s*({_ZH_NAME})")
_ZH_NAME_TAIL = set("的了是在和与跟婚请邀结日年月号视照片们要把将给")


def _trim_zh_name(name: str) -> str:
    while len(name) > 2 and name[-1] in _ZH_NAME_TAIL:
        name = name[:-1]
    return name


def find_names(text: str) -> str | None:
    """A couple's names: "Anna & Ben" or "Anna and Ben" → "Anna & Ben";
    "张三和李四" → "张三 & 李四"."""
    for m in _EN_NAMES_RE.finditer(text):
        first, second = m.group(1), m.group(2)
        if first.lower() not in _NOT_NAMES and second.lower() not in _NOT_NAMES:
            return f"{first} & {second}"
    zh = _ZH_NAMES_RE.search(text)
    if zh:
        first, second = _trim_zh_name(zh.group(1)), _trim_zh_name(zh.group(2))
        if first[-1] not in _ZH_NAME_TAIL and second[-1] not in _ZH_NAME_TAIL:
            return f"{first} & {second}"
    return None
