"""Scripted MCP agents for ``check-client``, built on the official ``mcp`` SDK client:
``reference`` follows every MCP rule of §7, ``careless`` breaks each one
(``careless.BROKEN_RULES``). Run: ``python -m nemo_mock.client_tests.mcp_agent reference|careless``
with ``NEMO_API_URL``, ``NEMO_CHECK_FILES`` (colon-separated) and ``NEMO_CHECK_OUTPUT``
(what ``check-client`` sets)."""
