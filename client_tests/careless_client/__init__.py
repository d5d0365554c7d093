"""A careless NemoVideo client: the harness's negative control.

It does the reference client's job (``nemo_mock.client_tests.reference_client``: on the ``baseline``
scenario it writes the MP4) but breaks a known list of rules of ``contracts/rules``,
declared here. Each defect is an override in ``client.py``, commented with the rule it
breaks; run ``python -m nemo_mock.client_tests.careless_client`` with the same options and
variables.

Which library scenario exposes which defect:

==========================  ============================================================
rule broken                 exposed by (defect)
==========================  ============================================================
attribution-headers         every scenario with a GET, e.g. baseline (no X-Skill-Version
                            on GET requests)
rate-limit-retry            rate-limited-then-ok (429 retried at once, up to 3 times)
no-retry-on-refusal         out-of-credits (2001 retried at once, up to 3 times)
session-recovery            session-lost (1002: the same call again on the lost session).
                            Not seen today: the journal records no session for a runSse
                            refused by a fault before its body is read.
state-after-silent-close    silent-edit (no text: asks the agent instead of reading state)
stream-drop-recovery        stream-drops-during-generation (polls the state at once and
                            every 5 s x scale)
heartbeat-timeout           heartbeats-only-timeout (no time-out of its own: holds the
                            stream of keep-alives until the server closes it)
render-poll-cadence         baseline and every scenario with a render (polls every
                            1 s x scale, at least 0.05 s, up to 200 times)
==========================  ============================================================
"""

from __future__ import annotations

BROKEN_RULES: frozenset[str] = frozenset(
    {
        "attribution-headers",
        "rate-limit-retry",
        "no-retry-on-refusal",
        "session-recovery",
        "state-after-silent-close",
        "stream-drop-recovery",
        "heartbeat-timeout",
        "render-poll-cadence",
    }
)
