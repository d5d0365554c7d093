import pytest

from nemo_mock.mock_server.domain.errors import UnsupportedFileType
from nemo_mock.mock_server.domain.media import (
    check_content,
    kind_for_filename,
    safe_filename,
    too_large,
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.mp4", "video"),
        ("b.MOV", "video"),
        ("c.avi", "video"),
        ("d.webm", "video"),
        ("e.mkv", "video"),
        ("f.jpg", "image"),
        ("g.JPEG", "image"),
        ("h.png", "image"),
        ("i.gif", "image"),
        ("j.webp", "image"),
        ("k.mp3", "audio"),
        ("l.wav", "audio"),
        ("m.m4a", "audio"),
        ("n.aac", "audio"),
    ],
)
def test_accepted_extensions(name, kind):
    assert kind_for_filename(name) == kind


@pytest.mark.parametrize("name", ["notes.txt", "movie.flv", "noext", "archive.mp4.zip"])
def test_other_extensions_are_4001_listing_the_supported_formats(name):
    with pytest.raises(UnsupportedFileType) as caught:
        kind_for_filename(name)
    assert caught.value.code == 4001
    assert "supported: video mp4 mov avi webm mkv" in caught.value.message


def test_content_must_match_the_extension():
    check_content("a.mp4", "video", "video", "")
    with pytest.raises(UnsupportedFileType, match="named like a video file but contains an audio"):
        check_content("a.mp4", "video", "audio", "")
    with pytest.raises(UnsupportedFileType, match="is not a readable video file .because."):
        check_content("a.mp4", "video", None, "because")


def test_too_large_names_the_limit():
    error = too_large("big.mp4", 500 * 1024 * 1024)
    assert error.code == 4002 and "500 MB limit" in error.message


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\x\\y.jpg", "y.jpg"),
        ("", "upload"),
        (None, "upload"),
        ("..", "upload"),
        ("a/..", "upload"),
        ("nul\x00.jpg", "nul.jpg"),
    ],
)
def test_safe_filename_keeps_only_the_last_component(raw, safe):
    assert safe_filename(raw, "upload") == safe


@pytest.mark.parametrize("char", ["é", "日", "😀", "a"])
def test_a_long_name_is_cut_to_255_utf8_bytes_keeping_its_extension(char):
    """Cut by characters, 200 x '日' + '.jpg' was 604 bytes: the file system refused it (500)."""
    name = safe_filename(char * 300 + ".jpg", "upload")
    assert len(name.encode("utf-8")) <= 255
    assert name.endswith(".jpg") and set(name[:-4]) == {char}
    assert len(name.encode("utf-8")) > 255 - len(char.encode("utf-8"))
