from client_tests.planted_bug_client.client import SKILL_SOURCE, PlantedBugClient
from client_tests.reference_client.main import main

raise SystemExit(
    main(
        client_class=PlantedBugClient,
        prog="python -m client_tests.planted_bug_client",
        source=SKILL_SOURCE,
        log_name="planted-bug",
    )
)
