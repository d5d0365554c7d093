"""explain: ffmpeg's failure names the draft's sources, never a server path."""

from nemo_mock.mock_server.render.failure import explain, input_paths

ARGS = ["-i", "/data/uploads/f_aa/a.jpg", "-i", "/data/uploads/f_bb/b.mp4", "/data/r/.x.mp4"]
SOURCES = {"/data/uploads/f_aa/a.jpg": "f_aa", "/data/uploads/f_bb/b.mp4": "f_bb"}


def test_input_paths_are_numbered_like_ffmpeg():
    assert input_paths(ARGS) == ["/data/uploads/f_aa/a.jpg", "/data/uploads/f_bb/b.mp4"]


def test_a_path_in_stderr_becomes_its_source():
    reason = explain(["/data/uploads/f_bb/b.mp4: Invalid data found"], ARGS, SOURCES)
    assert reason == "ffmpeg failed on media 'f_bb': 'f_bb': Invalid data found"


def test_an_input_number_names_its_source():
    reason = explain(["Error while decoding stream #1:0: Invalid data"], ARGS, SOURCES)
    assert reason.startswith("ffmpeg failed on media 'f_bb': ")


def test_other_paths_are_cut_to_their_last_part_and_all_sources_listed():
    reason = explain(["Could not write /data/r/.x.mp4: No space left"], ARGS, SOURCES)
    assert reason == (
        "ffmpeg failed rendering the draft (media: 'f_aa', 'f_bb'): "
        "Could not write .x.mp4: No space left"
    )
    assert "/data" not in reason
