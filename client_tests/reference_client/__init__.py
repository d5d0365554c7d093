"""A reference NemoVideo client: follows every rule of ``contracts/rules`` and every
documented recovery path (§3, §4.4, §4.8).
Run ``python -m nemo_mock.client_tests.reference_client``.

The task comes from ``--prompt``/``--files``/``--output``/``--time-scale`` or the
``NEMO_CHECK_*`` environment variables; ``NEMO_API_URL`` (required), ``NEMO_TOKEN``,
``NEMO_CLIENT_ID`` and ``SKILL_SOURCE`` configure it. Exit 0: the MP4 is written; 2: a
documented refusal (2001, 402, 4001, 4002) with its advice; 3: gave up after bounded
waiting; 1: anything else.

Modules: ``envelope`` (errors in both styles, render shapes, export-ready), ``http`` (headers,
429 and 1001 recoveries), ``auth`` (tokens, client id), ``session`` (sessions, uploads,
state), ``sse`` and ``chat`` (the message and its stream), ``polling`` (waiting for the
state), ``render`` (export), ``main`` (the command).
"""
