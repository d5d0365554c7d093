"""The chat stream of ``/run_sse``: event encoding (pure) and turns (timing, credits, state)."""
