"""Order-preserving byte encodings of key values, and the hash buckets that order Scan and split parallel scans.

The store keeps hash-key bytes and range-key bytes in separate BLOB/bytea columns compared with memcmp, so
`encode(t, a) < encode(t, b)` (as bytes) exactly when DynamoDB orders a before b: S by UTF-8 bytes, B by raw
bytes, N numerically (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.html, "Key
condition expressions"). A key attribute has one fixed type, so no type tag is stored.

Number layout (after normalizing, so "1.0" and "1" encode alike):
    zero      0x02
    positive  0x03, exponent + 130 (0..255), digit pairs as 1..100
    negative  0x01, 255 - (exponent + 130),  digit pairs as 101 - pair (1..100), then 0xFF
Digit pairs run from the first significant digit, the last one padded with 0. Positive digits need no end
mark: a longer digit string with the same prefix is a larger magnitude (no trailing zeros). Negative ones do:
the 0xFF terminator outranks every digit byte, so -1 sorts after -1.05.
"""

from __future__ import annotations

import base64
import hashlib

from pocketcloud.services.dynamodb.values import MIN_EXPONENT, Number, parse_number

BUCKETS = 2**32

_NEGATIVE, _ZERO, _POSITIVE = 0x01, 0x02, 0x03
_TERMINATOR = 0xFF


def encode(type_: str, value: str) -> bytes:
    """Bytes for a key value of type S, N or B (B given as base64 text), memcmp-ordered like DynamoDB."""
    if type_ == "S":
        return value.encode("utf-8", "surrogatepass")
    if type_ == "B":
        return base64.b64decode(value)
    if type_ == "N":
        encoded = _NUMBER_KEYS.get(value) if type(value) is str else None
        if encoded is None:
            encoded = encode_number(parse_number(value))
            if len(_NUMBER_KEYS) >= 4096:
                _NUMBER_KEYS.clear()
            _NUMBER_KEYS[value] = encoded
        return encoded
    raise ValueError(f"not a key type: {type_}")


# Encoded number keys per text (as values.py keeps parsed numbers): a key is encoded on every request.
_NUMBER_KEYS: dict[str, bytes] = {}


def decode(type_: str, data: bytes) -> str:
    """The wire text of an encoded key value (numbers come back normalized)."""
    if type_ == "S":
        return bytes(data).decode("utf-8", "surrogatepass")
    if type_ == "B":
        return base64.b64encode(data).decode("ascii")
    if type_ == "N":
        return str(decode_number(bytes(data)))
    raise ValueError(f"not a key type: {type_}")


def encode_number(number: Number) -> bytes:
    if not number.digits:
        return bytes([_ZERO])
    biased = number.exponent - MIN_EXPONENT
    digits = number.digits + "0" * (len(number.digits) % 2)
    pairs = [int(digits[i : i + 2]) + 1 for i in range(0, len(digits), 2)]
    if number.negative:
        return bytes([_NEGATIVE, 255 - biased, *(101 - pair for pair in pairs), _TERMINATOR])
    return bytes([_POSITIVE, biased, *pairs])


def decode_number(data: bytes) -> Number:
    if data == bytes([_ZERO]):
        return Number(False, "", 0)
    negative = data[0] == _NEGATIVE
    if negative:
        if data[-1] != _TERMINATOR:
            raise ValueError("negative number without its terminator")
        biased, pairs = 255 - data[1], [101 - byte for byte in data[2:-1]]
    elif data[0] == _POSITIVE:
        biased, pairs = data[1], list(data[2:])
    else:
        raise ValueError(f"not an encoded number: {data!r}")
    digits = "".join(f"{pair - 1:02d}" for pair in pairs).rstrip("0")
    return Number(negative, digits, biased + MIN_EXPONENT)


def hash_bucket(hk_bytes: bytes) -> int:
    """A stable bucket in [0, 2**32) for an encoded hash key: Scan walks buckets in order."""
    return int.from_bytes(hashlib.blake2b(hk_bytes, digest_size=4).digest(), "big")


def segment_range(segment: int, total_segments: int) -> tuple[int, int]:
    """Buckets lo..hi (inclusive) of a parallel-scan segment; the segments partition [0, 2**32)."""
    if not 0 < total_segments <= BUCKETS or not 0 <= segment < total_segments:
        raise ValueError(f"segment {segment} of {total_segments}")
    return segment * BUCKETS // total_segments, (segment + 1) * BUCKETS // total_segments - 1
