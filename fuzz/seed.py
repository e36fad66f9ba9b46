#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets.

    python3 fuzz/seed.py [--vectors PATH] OUT_DIR

OUT_DIR/parser/* and OUT_DIR/client_core/* get a few hand-made hostile cases, plus, with
--vectors, one seed per conformance vector (../shared/conformance/wpt-vectors.json beside the
checkout): the vector's bytes for the parser, and a scripted connection that receives them for
the client core. The vectors are read where they are, never copied into the repository.
"""

import argparse
import base64
import json
import os
import struct

# client_core operations (see fuzz_targets/client_core.rs)
RESPONSE, BYTES, EOF, ERROR, ADVANCE, TO_DEADLINE = range(6)
NAMES = ["content-type", "retry-after", "retry-after-ms", "date", "location"]
CONFIG = bytes([0x04, 0x0C])  # reconnect, 3 s reconnection time, 60 s idle, default-ish backoff


def response(status, headers=()):
    # the target adds 100 to the status it decodes
    out = bytes([RESPONSE]) + struct.pack(">H", status - 100) + bytes([len(headers)])
    for name, value in headers:
        value = value.encode()[:31]
        out += bytes([NAMES.index(name), len(value)]) + value
    return out


def body(data):
    out = b""
    for start in range(0, len(data), 255):
        chunk = data[start:start + 255]
        out += bytes([BYTES, len(chunk)]) + chunk
    return out


def advance(ms):
    return bytes([ADVANCE]) + struct.pack("<I", ms) + bytes([1])


def connection(stream_bytes):
    sse = [("content-type", "text/event-stream")]
    return CONFIG + response(200, sse) + body(stream_bytes) + bytes([EOF, TO_DEADLINE]) + response(204)


HOSTILE = {
    "retry-after-ms-1e300": CONFIG + response(503, [("retry-after-ms", "1e300")]) + bytes([TO_DEADLINE]),
    "retry-after-20-digits": CONFIG + response(503, [("retry-after", "99999999999999999999")]),
    "retry-zero-loop": connection(b"retry: 0\ndata: x\n\n") * 4,
    "retry-huge": connection(b"retry: 99999999999999999999999\n\n"),
    "keepalive-then-silence": CONFIG + response(200, [("content-type", "text/event-stream")])
    + (body(b":\n\n") + advance(1000)) * 5 + advance(120_000) + bytes([TO_DEADLINE]),
    "id-only-then-idle": connection(b"id: 1\ndata: a\n\nid: 2\n\n") + advance(60_000),
}


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", help="wpt-vectors.json")
    parser.add_argument("out")
    args = parser.parse_args()
    count = 0
    for name, script in HOSTILE.items():
        write(os.path.join(args.out, "client_core"), name, script)
        count += 1
    write(os.path.join(args.out, "parser"), "crlf-bom-utf8", b"\x01\xef\xbb\xbfdata: gr\xc3\xbc\r\n\r\nid: 7\rdata\r\r")
    write(os.path.join(args.out, "parser"), "tiny-limits", b"\x85data: 0123456789abcdef\n\n: comment\ndata: ok\n\n")
    count += 2
    if args.vectors:
        with open(args.vectors) as f:
            vectors = json.load(f)
        for vector in vectors:
            data = base64.b64decode(vector["input_b64"])
            write(os.path.join(args.out, "parser"), vector["name"], b"\x01" + data)
            write(os.path.join(args.out, "client_core"), vector["name"], connection(data))
            count += 2
    print(f"wrote {count} seeds to {args.out}")


if __name__ == "__main__":
    main()
