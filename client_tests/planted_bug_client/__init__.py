"""A client with one planted bug, for ``check-client --explore`` to find.

It is the reference client (``client_tests.reference_client``) with a single defect:

    **After a 1001, it gets a new token and repeats the call everywhere except while
    polling a render** (``getRender``): there it does not refresh the token and stops
    with exit 1.

No library scenario exposes it (``token-expires-mid-session`` expires the token on an
upload), so every scenario passes; an exploration finds it and shrinks it to the one fault
that triggers it: ``operation: getRender``, ``action: {expire_token: true}`` (the mock
answers that poll 1001). Run ``python -m client_tests.planted_bug_client`` with the same
options and variables as the reference client.
"""

#: The rule and property the bug breaks when a render poll is answered 1001.
BROKEN = frozenset({"token-refresh", "valid-outcome"})
