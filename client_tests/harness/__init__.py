"""``nemo-mock check-client``: run any client under each scenario and judge it.

``tasks`` makes the files a scenario's task uploads, ``runner`` runs one scenario
(on a pooled mock reset for it, an isolated one, or a fresh start of a running one;
``pool`` lends the mocks), ``outcome`` judges what the
client achieved, and ``report`` writes the table, JUnit XML and Markdown.
"""
