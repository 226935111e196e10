"""Start localstripe bound to 127.0.0.1 with its state file in a folder of our choosing.

``python -m localstripe`` listens on every interface (``::``) and reads and writes
``/tmp/localstripe.pickle``, shared by anyone on the machine. This launcher serves the
same aiohttp ``app`` on a loopback socket and keeps the state in ``--state-dir``, starting
empty. Used by the test fixtures (``tests/payments/conftest.py``)::

    python -m tests.payments.localstripe_server --port 0 --state-dir /tmp/x --port-file /tmp/x/port
"""
from __future__ import annotations

import argparse
import logging
import pickle
import socket
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (see --port-file)")
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--port-file", help="where to write the port once listening")
    args = parser.parse_args()

    from aiohttp import web
    from localstripe import resources, server

    state = Path(args.state_dir) / "localstripe.pickle"

    def dump_to_disk(self):
        with open(state, "wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)

    def try_load_from_disk(self):  # always start from scratch
        self.clear()

    resources.Store.dump_to_disk = dump_to_disk
    resources.Store.try_load_from_disk = try_load_from_disk

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]

    logger = logging.getLogger("aiohttp.access")
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.StreamHandler())

    async def announce(app):
        if args.port_file:
            tmp = Path(args.port_file + ".tmp")
            tmp.write_text(str(port))
            tmp.replace(args.port_file)

    server.app.on_startup.append(announce)
    web.run_app(server.app, sock=sock, access_log=logger, print=None)


if __name__ == "__main__":
    main()
