"""The baseline for the photo-upload ratio: a bare ASGI app under the same uvicorn that takes
one PUT per file and stores it as durably as the sync server does (temp file, fsync, rename),
with no authentication, hashing or database. Run: python -m benchmarks.plain_upload serve …"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def make_app(root: Path):  # -> ASGI app
    root.mkdir(parents=True, exist_ok=True)

    async def app(scope, receive, send) -> None:  # noqa: ANN001 - ASGI
        if scope["type"] != "http":
            return
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["method"] == "PUT":
            _store(root, scope["path"].rsplit("/", 1)[-1], bytes(body))
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def _store(root: Path, name: str, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=root)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, root / name)


def main(argv: list[str]) -> int:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("--db")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--port", type=int)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    uvicorn.run(make_app(args.data), host="127.0.0.1", port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
