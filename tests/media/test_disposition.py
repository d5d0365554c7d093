"""A part's Content-Disposition: name, filename, and the extended filename*= form."""

import pytest

from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.media.disposition import part_names


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b'form-data; name="files"; filename="a.jpg"', ("files", "a.jpg")),
        (b"form-data; name=files; filename*=UTF-8''%E6%97%A5%E6%9C%AC.jpg", ("files", "日本.jpg")),
        (b"form-data; name=files; filename=x.jpg; filename*=utf-8''b%20c.jpg", ("files", "b c.jpg")),  # noqa: E501
        (b"form-data; name=files; filename*=iso-8859-1'en'caf%E9.png", ("files", "café.png")),
        (b'form-data; name="note"', ("note", None)),
    ],
)  # fmt: skip
def test_names_are_read_in_both_forms(header: bytes, expected):
    """filename*= was not recognised: the part was taken for a text field."""
    assert part_names(header) == expected


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b"form-data; name=files; filename*=a.jpg", "is not charset'language'value"),
        (b"form-data; name=files; filename*=nope''a.jpg", "unknown charset 'nope'"),
        (b"form-data; name=files; filename*=utf-8''%FF.jpg", "not valid utf-8"),
    ],
)
def test_a_malformed_extended_name_is_a_400_saying_why(header: bytes, message: str):
    with pytest.raises(BadRequest) as caught:
        part_names(header)
    assert message in caught.value.message
