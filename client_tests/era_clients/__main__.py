import sys

from nemo_mock.client_tests.era_clients.clients import CLIENTS, SKILL_SOURCE
from nemo_mock.client_tests.reference_client.main import main

if len(sys.argv) < 2 or sys.argv[1] not in CLIENTS:
    print(f"usage: python -m nemo_mock.client_tests.era_clients {{{','.join(CLIENTS)}}} [options]")
    raise SystemExit(2)
era = sys.argv.pop(1)
raise SystemExit(
    main(
        client_class=CLIENTS[era],
        prog=f"python -m nemo_mock.client_tests.era_clients {era}",
        source=SKILL_SOURCE,
        log_name=f"era-{era}",
    )
)
