"""Contract operations that have no route yet: can only shrink (test_routes_match_contract)."""

NOT_IMPLEMENTED: set[str] = set()
