"""Imported last by the forkserver that forks the suite's mocks (``forked_start.py``): the
start-up work every mock would otherwise repeat is done here once, before any fork.

- The surfaces' operation indexes, read from their contracts (``Surface.index``,
  ``Surface.tool_operations``): cached on the module-level ``SURFACES``, so each forked mock
  inherits them filled.
- The media libraries (``media/preload.py``), which ``serve`` loads before it serves.
- A full collection, then ``gc.freeze()``: what the forkserver holds (modules, models,
  routers, indexes) moves to the permanent generation, so the collection ``nemo-mock serve``
  makes before it freezes its own start-up objects walks only what the mock made itself
  (about 0.1 CPU-s less per mock), and the pages stay shared with the forkserver.
"""

from __future__ import annotations

import gc

from nemo_mock.mock_server.edge.surfaces import SURFACES
from nemo_mock.mock_server.media.preload import preload_media


def warm_up() -> None:
    for surface in SURFACES:
        _ = surface.index, surface.tool_operations
    preload_media()
    gc.collect()
    gc.freeze()


warm_up()
