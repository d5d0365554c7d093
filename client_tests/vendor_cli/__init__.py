"""The vendor's CLI (npm ``nemovideo-tools@0.1.8``) as a client of the gateway surface:
``install`` finds or installs the pinned package; ``python -m nemo_mock.client_tests.vendor_cli``
runs it as the client under test of ``check-client --surface gateway``."""
