"""The client surfaces' routes: one package per surface (``skill`` today).

Each package exports ``ROUTERS``, the FastAPI routers that serve it. Which
surfaces exist, which paths and contracts they own and how their operations are
named is declared once, in ``nemo_mock.mock_server.edge.surfaces.SURFACES``; ``app.py``
mounts ``nemo_mock.mock_server.surfaces.<name>.ROUTERS`` for each of them.
"""
