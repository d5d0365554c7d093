"""nemo-mock: a local, offline twin of the NemoVideo API and a contract-test harness.

Everything the wheel installs lives under this one name, so it never clashes with a user's
own packages: ``nemo_mock.mock_server`` (the mock), ``nemo_mock.contracts`` (the surfaces'
contracts and the client rules) and ``nemo_mock.client_tests`` (the harness and the pytest
plugin). In the repository those are the top-level folders ``mock_server/``, ``contracts/``
and ``client_tests/``; this folder links to them and the wheel holds them here.
"""

from nemo_mock.mock_server import __version__

__all__ = ["__version__"]
