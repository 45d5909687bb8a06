#!/usr/bin/env python3
"""Reads a value that @cache/redis (GenericRedisCache) wrote to Redis, from Python.

The value is not a bare Fernet token: it is the versioned envelope of @cache/redis.

    byte 0-1  magic 0xCA 0xCE
    byte 2    format version: 3 for encrypted values (raw token), 2 for unencrypted ones;
              version-2 encrypted values (base64 token) of earlier releases are read too
    byte 3    codec id (1 = JSON, UTF-8, object key order as written)
    byte 4    flags: 0x01 body zlib-compressed, 0x02 encrypted
    then, encrypted:   a Fernet token whose plaintext is
                       header (the 5 bytes above) | sha256(physical key)[:16] | times | body;
                       version 3 stores the token's raw bytes (base64-encode them for
                       Fernet.decrypt), version 2 its usual base64 text
          unencrypted: times | body (the same in versions 2 and 3)
    times     expires_at and fresh_until, epoch milliseconds, each as two big-endian uint32
              (high, low); past expires_at the value is a miss

The physical key is the cache's keyPrefix followed by the key. Binding the key digest and the
times inside the token means a token copied to another key, or restored after its lifetime, is
refused here as it is in Node. Writing values from Python is not provided.

Usage (needs Python's `cryptography`; the key comes from REDIS_ENCRYPTION_KEY):
    read_envelope.py --host 127.0.0.1 --port 6379 [--password PW] --key 'app:user:1'
prints the value as JSON; exits 1 for a miss (absent, expired, or past its fresh time and kept
only for a getOrSet grace period), 2 for a value it must refuse.
"""

import argparse
import base64
import hashlib
import json
import os
import socket
import struct
import sys
import time
import zlib

MAGIC = b"\xca\xce"
VERSION_BASE64_TOKEN = 2
VERSION_RAW_TOKEN = 3
JSON_CODEC = 1
FLAG_COMPRESSED = 0x01
FLAG_ENCRYPTED = 0x02
HEADER_BYTES = 5
DIGEST_BYTES = 16
TIMES_BYTES = 16


class EnvelopeError(Exception):
    """The bytes are not a value this reader may return (the reason is the message)."""


class Expired(EnvelopeError):
    """The value is past its hard expiry: a miss."""


def decode_envelope(raw, physical_key, fernet_key=None, now_ms=None):
    """Returns (value, expires_at_ms, fresh_until_ms) of `raw` read from `physical_key`.

    Raises EnvelopeError (or Expired) exactly where @cache/redis treats the value as a miss.
    """
    if len(raw) < HEADER_BYTES or raw[:2] != MAGIC:
        raise EnvelopeError("unknown_format")
    version = raw[2]
    if version not in (VERSION_BASE64_TOKEN, VERSION_RAW_TOKEN):
        raise EnvelopeError("unsupported_version")
    if raw[3] != JSON_CODEC:
        raise EnvelopeError("unknown_codec")
    flags = raw[4]
    if flags & ~(FLAG_COMPRESSED | FLAG_ENCRYPTED):
        raise EnvelopeError("corrupt")
    if flags & FLAG_ENCRYPTED:
        if fernet_key is None:
            raise EnvelopeError("decrypt_failed")
        from cryptography.fernet import Fernet, InvalidToken

        token = bytes(raw[HEADER_BYTES:])
        if version == VERSION_RAW_TOKEN:
            token = base64.urlsafe_b64encode(token)
        try:
            plain = Fernet(fernet_key).decrypt(token)
        except InvalidToken:
            raise EnvelopeError("decrypt_failed") from None
        if plain[:HEADER_BYTES] != raw[:HEADER_BYTES]:
            raise EnvelopeError("header_mismatch")
        digest = hashlib.sha256(physical_key.encode("utf-8")).digest()[:DIGEST_BYTES]
        if plain[HEADER_BYTES:HEADER_BYTES + DIGEST_BYTES] != digest:
            raise EnvelopeError("key_mismatch")
        inner = plain[HEADER_BYTES + DIGEST_BYTES:]
    else:
        if fernet_key is not None:
            raise EnvelopeError("plaintext_rejected")
        inner = raw[HEADER_BYTES:]
    if len(inner) < TIMES_BYTES:
        raise EnvelopeError("corrupt")
    e_hi, e_lo, f_hi, f_lo = struct.unpack(">IIII", inner[:TIMES_BYTES])
    expires_at = e_hi * 2**32 + e_lo
    fresh_until = f_hi * 2**32 + f_lo
    if fresh_until > expires_at:
        raise EnvelopeError("corrupt")
    if (time.time() * 1000 if now_ms is None else now_ms) >= expires_at:
        raise Expired("expired")
    body = inner[TIMES_BYTES:]
    if flags & FLAG_COMPRESSED:
        body = zlib.decompress(body)
    return json.loads(body.decode("utf-8")), expires_at, fresh_until


def redis_get(host, port, key, password=None, username=None, timeout=5.0):
    """GET over a plain RESP2 connection (AUTH first when a password is given); None when absent."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        reader = sock.makefile("rb")

        def command(*args):
            parts = [b"*%d\r\n" % len(args)]
            for arg in args:
                data = arg if isinstance(arg, bytes) else str(arg).encode("utf-8")
                parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
            sock.sendall(b"".join(parts))
            line = reader.readline()
            if line[:1] == b"-":
                raise EnvelopeError("redis refused the command: " + line[1:].decode("utf-8", "replace").split(" ")[0])
            if line[:1] == b"$":
                size = int(line[1:])
                if size < 0:
                    return None
                data = reader.read(size + 2)
                return data[:-2]
            return line[1:].rstrip(b"\r\n")

        if password is not None:
            command(*(("AUTH", username, password) if username else ("AUTH", password)))
        return command("GET", key)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Read a @cache/redis value from Python")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6379)
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--key", required=True, help="physical key: keyPrefix + key")
    args = parser.parse_args(argv)
    fernet_key = os.environ.get("REDIS_ENCRYPTION_KEY")
    raw = redis_get(args.host, args.port, args.key, args.password, args.username)
    if raw is None:
        print("miss: not_found", file=sys.stderr)
        return 1
    try:
        value, _expires_at, fresh_until = decode_envelope(raw, args.key, fernet_key)
    except Expired:
        print("miss: expired", file=sys.stderr)
        return 1
    except EnvelopeError as error:
        print("refused: %s" % error, file=sys.stderr)
        return 2
    if time.time() * 1000 >= fresh_until:
        # Kept only for a getOrSet grace period: like GenericRedisCache.get, a miss.
        print("miss: stale", file=sys.stderr)
        return 1
    json.dump(value, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
