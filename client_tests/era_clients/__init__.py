"""Small clients written to one era's documents each (§8): the reference client with what
that era's documents say instead of what the current ones say, and nothing tolerant beyond
them. ``python -m nemo_mock.client_tests.era_clients ERA`` runs the client of ``ERA``:

=============  ==========================================================================
era            what its documents told clients to do
=============  ==========================================================================
v1.0           no X-Client-Id on the token call; X-Skill-Platform ``github``; export with
               ``POST /api/render/proxy/draft``, poll ``GET /api/render/proxy/<id>``, read
               ``taskId``, top-level ``status`` and ``output.url``
v1.4           a persisted X-Client-Id; the token never expires (never fetched again);
               top-level ``status`` and ``output.url``
api-reference  ``status`` and ``outputUrl`` inside ``data`` (``success: true``); five
               minutes of silence is a time-out
=============  ==========================================================================

Each passes ``check-client --era`` of its own era; under the others it breaks where its
documents and the era disagree (the ``tests/eras`` tests show which).
"""
