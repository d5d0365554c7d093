"""Faults on demand: rules that match requests and make them fail in documented ways.

``actions`` says what a fault does, ``rules`` when it fires (``FaultBook``),
``spec`` reads the one-line form used by ``X-Mock-Fault`` and ``--fault``, and
``middleware`` acts faults out on the wire. SSE faults that change what the
agent does (silent, text, heartbeats only) and render faults are carried out by
the turn runner and the render service, which read the action from the scope.
"""
