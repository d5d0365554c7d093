"""Waveform peaks for the dashboard: loud where there is sound, flat where there is none."""

from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg
from nemo_mock.mock_server.media.samples import make_song
from nemo_mock.mock_server.media.waveform import peaks


def test_a_song_has_peaks_and_silence_has_none(tmp_path):
    song = make_song(tmp_path / "song.mp3", seconds=2.0)
    silence = tmp_path / "silence.wav"
    run_ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "2", str(silence)])
    loud, quiet = peaks(song, 50), peaks(silence, 50)
    assert len(loud) == 50 and len(quiet) == 50
    assert max(loud) > 0.1
    assert max(quiet) < 0.01


def test_a_file_without_audio_has_no_peaks(tmp_path):
    clip = tmp_path / "still.png"
    run_ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", str(clip)])
    assert peaks(clip) == []
