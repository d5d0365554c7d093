from nemo_mock.client_tests.careless_client.client import SKILL_SOURCE, CarelessClient
from nemo_mock.client_tests.reference_client.main import main

raise SystemExit(
    main(
        client_class=CarelessClient,
        prog="python -m nemo_mock.client_tests.careless_client",
        source=SKILL_SOURCE,
        log_name="careless",
    )
)
