"""Reading pixels of a PNG frame: its size and the colour at a point."""

import io

import av


def rgb_at(png: bytes, x: float, y: float) -> tuple[int, int, int]:
    with av.open(io.BytesIO(png)) as container:
        frame = next(container.decode(video=0)).to_rgb()
    plane = frame.planes[0]
    at = int(y * frame.height) * plane.line_size + 3 * int(x * frame.width)
    data = bytes(plane)
    return data[at], data[at + 1], data[at + 2]


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
