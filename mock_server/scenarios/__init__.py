"""Named scenarios: fault rules, set-up and a task, bundled in YAML files, with what a
correct client should do. The library is ``fixtures/scenarios/`` (shipped in the package
as ``mock_server/scenarios/library``)."""
