"""The mock's listening socket: accepted connections must not wait for Nagle (issue 18).

asyncio sets TCP_NODELAY on an accepted connection only when the listening socket's
protocol is ``IPPROTO_TCP``; a socket made with protocol 0 left every response waiting
~40 ms for the peer's delayed ACK (uvicorn writes headers and body separately, on h11 and on
httptools alike). No parser is involved here, so these tests do not run per ``--http``.
"""

import asyncio
import socket

from nemo_mock.mock_server.cli import _bind


def test_the_listening_socket_is_made_as_tcp():
    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def test_asyncio_sets_nodelay_on_connections_accepted_from_it():
    async def accept_one() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def handler(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted = writer.get_extra_info("socket")
            seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handler, sock=_bind("127.0.0.1", 0))
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()

    assert asyncio.run(accept_one()) != 0


def test_a_burst_of_connections_is_queued_not_dropped():
    """300 clients connect at once and the mock has accepted none yet: every handshake
    completes (with a backlog of 128 the kernel dropped the rest's SYNs, and they came back
    only 1, 3, 7, 15 s later)."""
    import selectors

    listener = _bind("127.0.0.1", 0)
    address = listener.getsockname()
    clients = []
    try:
        with selectors.DefaultSelector() as selector:
            for _ in range(300):
                client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                client.setblocking(False)
                client.connect_ex(address)
                clients.append(client)
                selector.register(client, selectors.EVENT_WRITE)
            connected: set[socket.socket] = set()
            for _ in range(50):  # until all are connected, or 5 s
                for key, _ in selector.select(timeout=0.1):
                    connected.add(key.fileobj)  # type: ignore[arg-type]
                if len(connected) == len(clients):
                    break
        refused = [c for c in clients if c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)]
        assert len(connected) == 300 and refused == []
    finally:
        for client in clients:
            client.close()
        listener.close()
