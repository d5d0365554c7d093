"""``nemo-mock check-client``: run any client under each scenario and judge it.

``tasks`` makes the files a scenario's task uploads, ``runner`` runs one scenario
(an isolated mock, or a fresh start of a running one), ``outcome`` judges what the
client achieved, and ``report`` writes the table, JUnit XML and Markdown.
"""
