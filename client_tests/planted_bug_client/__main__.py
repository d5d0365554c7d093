import os

from nemo_mock.client_tests.planted_bug_client import BUGS, DEFAULT, ENV
from nemo_mock.client_tests.planted_bug_client.client import SKILL_SOURCE
from nemo_mock.client_tests.reference_client.main import main

name = os.environ.get(ENV) or DEFAULT
if name not in BUGS:
    raise SystemExit(f"{ENV}={name!r}: choose one of {', '.join(BUGS)}")
raise SystemExit(
    main(
        client_class=BUGS[name].client,
        prog="python -m nemo_mock.client_tests.planted_bug_client",
        source=SKILL_SOURCE,
        log_name=f"planted-bug {name}",
    )
)
