"""The media libraries, loaded whole before the mock serves.

PyAV is imported where it is used (an upload's probe, a render's sources): a command such
as ``nemo-mock journal`` never pays for it. But ``serve`` loads it, and every module of it,
before it accepts a connection, and so does the app's lifespan under any other ASGI server
(a no-op when already done), before the synthesis pool's warm-up (which used to import it
in a thread of its own, once the mock already accepted connections). A module imported
while the process is out of file descriptors (a crowd of connections under a low ``ulimit
-n``) fails halfway: for PyAV's compiled modules, whose types refer to one another, a later
import made a second copy of a type, and every probe after it failed (``TypeError: Cannot
convert av.video.frame.VideoFrame to av.frame.Frame``: a 500, not the 503 the crowd
deserves). PyAV itself imports ``av.subtitles`` on the first container it opens.
"""

from __future__ import annotations

import importlib
import pkgutil

#: PyAV's modules that the mock never uses: its command line, its test-data downloader.
SKIPPED = frozenset({"av.__main__", "av.datasets"})

#: The modules loaded, once they are (None: not yet).
_loaded: list[str] | None = None


def preload_media() -> list[str]:
    """Import the probe, the integrity check and every module of PyAV (once); their names."""
    global _loaded
    if _loaded is not None:
        return _loaded
    import av

    import nemo_mock.mock_server.media.intact
    import nemo_mock.mock_server.media.probe  # noqa: F401

    loaded = []
    for module in pkgutil.walk_packages(av.__path__, "av."):
        if module.name not in SKIPPED:
            importlib.import_module(module.name)
            loaded.append(module.name)
    _loaded = loaded
    return loaded
