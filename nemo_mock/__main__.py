"""``python -m nemo_mock``: the ``nemo-mock`` command."""

from nemo_mock.mock_server.cli import main

main()
