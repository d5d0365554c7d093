from client_tests.careless_client.client import SKILL_SOURCE, CarelessClient
from client_tests.reference_client.main import main

raise SystemExit(
    main(
        client_class=CarelessClient,
        prog="python -m client_tests.careless_client",
        source=SKILL_SOURCE,
        log_name="careless",
    )
)
