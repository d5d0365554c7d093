"""The MCP surface: OAuth 2.1 (the ``mcp`` SDK's handlers) and MCP over Streamable HTTP."""
