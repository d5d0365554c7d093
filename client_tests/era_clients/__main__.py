import sys

from nemo_mock.client_tests.era_clients.careless import CARELESS
from nemo_mock.client_tests.era_clients.clients import CLIENTS, SKILL_SOURCE
from nemo_mock.client_tests.reference_client.main import main

KNOWN = {**CLIENTS, **CARELESS}
if len(sys.argv) < 2 or sys.argv[1] not in KNOWN:
    print(f"usage: python -m nemo_mock.client_tests.era_clients {{{','.join(KNOWN)}}} [options]")
    raise SystemExit(2)
era = sys.argv.pop(1)
raise SystemExit(
    main(
        client_class=KNOWN[era],
        prog=f"python -m nemo_mock.client_tests.era_clients {era}",
        source=SKILL_SOURCE,
        log_name=f"era-{era}",
    )
)
