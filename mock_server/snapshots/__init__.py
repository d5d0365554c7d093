"""Snapshots: the whole mock (state from the runtime's codec, files of the data dir) saved
under a name, restored, and carried between machines as one portable file.

``archive`` is the file format, ``book`` the snapshots kept under ``<data dir>/snapshots``,
``cli`` the ``nemo-mock snapshot`` commands."""
