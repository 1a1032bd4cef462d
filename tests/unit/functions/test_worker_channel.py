"""A worker's channel: frames of meta (JSON) and payload (raw bytes), however the reads split, at the pool's end and
through both runtimes."""

from __future__ import annotations

import asyncio
import socket

import pytest

from pocketcloud.functions.worker import Channel, WorkerDied, encode_frame

from .conftest import body


def test_encode_frame_is_header_then_meta_then_raw_payload():
    frame = encode_frame({"t": "invoke"}, b'{"a": 1}')
    assert frame == b"\x00\x00\x00\x0e\x00\x00\x00\x08" + b'{"t":"invoke"}' + b'{"a": 1}'
    assert encode_frame({"t": "ready"}) == b"\x00\x00\x00\x0d\x00\x00\x00\x00" + b'{"t":"ready"}'


def test_channel_reads_frames_split_across_reads_and_several_in_one_read():
    async def scenario() -> list[dict]:
        ours, theirs = socket.socketpair()
        channel = Channel(ours, asyncio.get_running_loop())
        big = b"[" + b"1," * 300_000 + b"1]"
        data = encode_frame({"t": "result", "n": 1}, big) + encode_frame({"t": "ready"}) \
            + encode_frame({"t": "result", "n": 2}, "é".encode())
        theirs.setblocking(False)
        for at in range(0, len(data), 50_000):  # in pieces, with the loop reading between them
            theirs.sendall(data[at:at + 50_000])
            await asyncio.sleep(0.001)
        frames = [await channel.next(5) for _ in range(3)]
        theirs.close()
        try:
            await channel.next(5)
        except WorkerDied:
            frames.append({"t": "died"})
        channel.close()
        return frames, big

    frames, big = asyncio.run(scenario())
    assert frames == [{"t": "result", "n": 1, "payload": big}, {"t": "ready", "payload": b""},
                      {"t": "result", "n": 2, "payload": "é".encode()}, {"t": "died"}]


def test_channel_reads_meta_that_only_json_accepts():
    async def scenario() -> dict:
        ours, theirs = socket.socketpair()
        channel = Channel(ours, asyncio.get_running_loop())
        meta = b'{"t":"init_error","m":"\\ud800"}'  # a lone surrogate, as JSON.stringify writes it
        theirs.sendall(len(meta).to_bytes(4, "big") + b"\0\0\0\0" + meta)
        frame = await channel.next(5)
        channel.close()
        theirs.close()
        return frame

    assert asyncio.run(scenario()) == {"t": "init_error", "m": "\ud800", "payload": b""}


def test_channels_waiting_together_each_time_out_at_their_own_deadline():
    async def scenario() -> dict[str, float]:
        loop = asyncio.get_running_loop()
        pairs = [socket.socketpair() for _ in range(3)]
        slow, fast, answered = (Channel(ours, loop) for ours, _ in pairs)
        t0 = loop.time()
        ended: dict[str, float] = {}

        async def wait(name: str, channel: Channel, timeout: float) -> None:
            try:
                await channel.next(timeout)
                ended[name] = -1.0
            except asyncio.TimeoutError:
                ended[name] = loop.time() - t0

        waits = [asyncio.ensure_future(wait("slow", slow, 0.3))]
        await asyncio.sleep(0.01)
        waits.append(asyncio.ensure_future(wait("fast", fast, 0.05)))  # a nearer deadline than the timer's
        waits.append(asyncio.ensure_future(wait("answered", answered, 0.1)))
        await asyncio.sleep(0.02)
        pairs[2][1].sendall(encode_frame({"t": "result"}))
        await asyncio.gather(*waits)
        for channel, (_, theirs) in zip((slow, fast, answered), pairs):
            channel.close()
            theirs.close()
        return ended

    ended = asyncio.run(scenario())
    assert ended["answered"] == -1.0
    assert 0.05 <= ended["fast"] < 0.2, ended
    assert 0.3 <= ended["slow"] < 0.5, ended


# Through real runtime processes: what both runtimes send on the channel.
_ECHO_BLOB = {
    "python3.12": ("app.handler", "app.py",
                   "def handler(event, context):\n    return {'echo': event['blob'], 'n': len(event['blob'])}\n"),
    "nodejs20.x": ("index.handler", "index.js", "exports.handler = async (e) => ({ echo: e.blob, n: e.blob.length });"),
}
_TOUCH_200_MB = {
    "python3.12": ("app.handler", "app.py", """
    def handler(event, context):
        if event.get("big"):
            block = bytearray(200 * 1024 * 1024)  # zero pages: touched one by one below
            for i in range(0, len(block), 4096):
                block[i] = 1
        return None
    """),
    "nodejs20.x": ("index.handler", "index.js",
                   "exports.handler = async (e) => { if (e.big) Buffer.alloc(200 * 1024 * 1024, 1); return null; };"),
}


@pytest.mark.parametrize("runtime", ["python3.12", "nodejs20.x"])
def test_events_and_results_bigger_than_one_socket_read_arrive_whole(engine, make_function, runtime):
    handler, file_name, code = _ECHO_BLOB[runtime]
    spec = make_function(runtime, handler, {file_name: code})
    blob = "é€x" * 700_000  # ~4 MB of UTF-8 each way: many reads on both sides of the channel
    result = engine.invoke(spec, {"blob": blob})
    assert result.function_error is None
    assert body(result) == {"echo": blob, "n": len(blob)}
    assert body(engine.invoke(spec, {"blob": "small"})) == {"echo": "small", "n": 5}  # the channel is in step


@pytest.mark.parametrize("runtime", ["python3.12", "nodejs20.x"])
def test_max_memory_used_counts_what_the_handler_touched(engine, make_function, runtime):
    # (the runtime's peak RSS comes with each result: rss_kb)
    handler, file_name, code = _TOUCH_200_MB[runtime]
    spec = make_function(runtime, handler, {file_name: code}, memory_mb=1024)
    small = engine.invoke(spec, {})
    big = engine.invoke(spec, {"big": True})
    # 200 MB touched, 120 asked: the peak already holds what init used and freed, which the handler may reuse
    assert big.max_memory_mb >= small.max_memory_mb + 120, (small, big)
