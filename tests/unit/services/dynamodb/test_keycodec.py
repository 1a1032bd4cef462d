"""Tests for services/dynamodb/keycodec.py: memcmp order of encoded keys equals DynamoDB's order."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pocketcloud.services.dynamodb.keycodec import BUCKETS, decode, encode, hash_bucket, segment_range
from pocketcloud.services.dynamodb.values import normalize_number

FAST = settings(max_examples=300, deadline=None)


@st.composite
def numbers(draw) -> str:
    """Valid DynamoDB numbers across the whole range, written in assorted but equivalent notations."""
    # A narrow alphabet now and then makes shared prefixes and inner zeros (1 vs 1.01 vs 1.1) likely.
    alphabet = draw(st.sampled_from(["0123456789", "01", "19"]))
    digits = draw(st.text(alphabet, min_size=1, max_size=38).map(lambda d: "1" + d[1:] if d[0] == "0" else d))
    digits = digits.rstrip("0") or "1"
    exponent = draw(st.integers(-130, 125))
    sign = draw(st.sampled_from(["", "-", "+"]))
    padding = "0" * draw(st.integers(0, 3))
    # d1.d2d3... x 10**exponent, as a mantissa with the point after the first digit and an E.
    mantissa = digits[0] + ("." + digits[1:] + padding if len(digits) > 1 else "")
    return f"{sign}{mantissa}E{exponent}" if draw(st.booleans()) else f"{sign}{mantissa}e{exponent:+d}"


def all_numbers() -> st.SearchStrategy[str]:
    return st.one_of(numbers(), st.sampled_from(["0", "-0", "0.000", "1", "10", "1.5", "-1", "-10", "-1.5"]))


def test_numbers_order_negative_then_zero_then_positive():
    ordered = ["-1e125", "-100", "-10", "-1.5", "-1.05", "-1", "-0.5", "-1e-130", "0",
               "1e-130", "0.5", "1", "1.05", "1.5", "10", "100", "9.9999999999999999999999999999999999999e125"]
    encoded = [encode("N", text) for text in ordered]
    assert encoded == sorted(encoded)
    assert len(set(encoded)) == len(encoded)


@pytest.mark.parametrize(("a", "b"), [("1", "1.0"), ("100", "1e2"), ("-0", "0"), ("0.50", ".5"), ("+3", "3")])
def test_equal_numbers_encode_to_equal_bytes(a, b):
    assert encode("N", a) == encode("N", b)


@FAST
@given(all_numbers(), all_numbers())
def test_number_byte_order_is_numeric_order(a, b):
    expected = (Decimal(a) > Decimal(b)) - (Decimal(a) < Decimal(b))
    left, right = encode("N", a), encode("N", b)
    assert (left > right) - (left < right) == expected


@FAST
@given(all_numbers())
def test_numbers_decode_to_their_normalized_text(text):
    assert decode("N", encode("N", text)) == normalize_number(text)
    assert Decimal(decode("N", encode("N", text))) == Decimal(text)


@FAST
@given(st.text(), st.text())
def test_string_byte_order_is_utf8_byte_order(a, b):
    left, right = encode("S", a), encode("S", b)
    assert left == a.encode("utf-8")
    assert (left < right) == (a.encode("utf-8") < b.encode("utf-8"))
    assert decode("S", left) == a


def test_strings_above_the_bmp_sort_after_private_use_characters_as_in_utf8():
    # UTF-16 code-unit order would put U+1D11E (surrogates D834...) before U+FFFF.
    assert encode("S", "\uffff") < encode("S", "𝄞")


@FAST
@given(st.binary(), st.binary())
def test_binary_encodes_to_its_raw_bytes_and_back(a, b):
    text = base64.b64encode(a).decode()
    assert encode("B", text) == a
    assert decode("B", encode("B", text)) == text
    assert (encode("B", text) < encode("B", base64.b64encode(b).decode())) == (a < b)


def test_unknown_key_types_are_refused():
    with pytest.raises(ValueError):
        encode("BOOL", "true")
    with pytest.raises(ValueError):
        decode("SS", b"")


@FAST
@given(st.binary(max_size=64))
def test_hash_bucket_is_stable_and_in_range(data):
    bucket = hash_bucket(data)
    assert 0 <= bucket < BUCKETS
    assert hash_bucket(bytes(data)) == bucket


def test_hash_bucket_does_not_depend_on_the_process():
    # blake2b, not Python's salted hash(): pinned so a restart keeps Scan order.
    assert hash_bucket(b"a") == int.from_bytes(__import__("hashlib").blake2b(b"a", digest_size=4).digest(), "big")


@pytest.mark.parametrize("total", [1, 2, 3, 7, 1000, 1000000])
def test_segments_partition_every_bucket(total):
    ranges = [segment_range(segment, total) for segment in range(total)] if total <= 1000 else [
        segment_range(segment, total) for segment in (0, 1, total // 2, total - 2, total - 1)
    ]
    assert ranges[0][0] == 0
    assert ranges[-1][1] == BUCKETS - 1
    for lo, hi in ranges:
        assert lo <= hi
    if total <= 1000:
        for (_, hi), (lo, _) in zip(ranges, ranges[1:]):
            assert lo == hi + 1


def test_every_bucket_falls_in_exactly_one_segment():
    total = 7
    for bucket in (0, 1, BUCKETS // 7, BUCKETS // 2, BUCKETS - 1, hash_bucket(b"id-42")):
        owners = [s for s in range(total) if segment_range(s, total)[0] <= bucket <= segment_range(s, total)[1]]
        assert len(owners) == 1


@pytest.mark.parametrize(("segment", "total"), [(0, 0), (-1, 4), (4, 4), (0, 2**32 + 1)])
def test_impossible_segments_are_refused(segment, total):
    with pytest.raises(ValueError):
        segment_range(segment, total)
