"""The pool's scheduling rules for short invokes (functions/pool.py _Demand), without processes."""

from __future__ import annotations

from pocketcloud.functions import pool
from pocketcloud.functions.pool import _Demand


def _demand(busy: int, duration_s: float, cpu_s: float | None) -> _Demand:
    demand = _Demand()
    demand.busy = busy
    demand.observe(duration_s, cpu_s)
    return demand


def test_a_tiny_handler_waits_for_a_busy_worker_only_once_four_times_the_cores_are_busy() -> None:
    enough = pool.TINY_BUSY_BEFORE_WAITING
    assert not _demand(enough - 1, 0.0001, 0.00005).worth_waiting()
    assert _demand(enough, 0.0001, 0.00005).worth_waiting()


def test_a_handler_that_computes_stops_scaling_out_once_twice_the_cores_are_busy() -> None:
    assert _demand(pool.SATURATED_BUSY, 0.05, 0.004).saturated()  # 50 ms, 4 ms of it computing
    assert not _demand(pool.SATURATED_BUSY - 1, 0.05, 0.004).saturated()


def test_a_handler_that_mostly_waits_on_io_keeps_scaling_out() -> None:
    assert not _demand(pool.SATURATED_BUSY * 4, 0.05, 0.0002).saturated()
    assert not _demand(pool.SATURATED_BUSY * 4, 0.05, None).saturated()  # a runtime that does not say (Node.js)


def test_the_typical_cpu_time_follows_recent_invokes() -> None:
    demand = _demand(1, 0.01, 0.01)
    for _ in range(30):
        demand.observe(0.01, 0.0001)
    assert demand.typical_cpu_s is not None and demand.typical_cpu_s < pool.TINY_INVOKE_S


def test_a_tiny_quiet_function_is_pipelined_once_it_has_been_quiet_long_enough() -> None:
    demand = _demand(1, 0.0001, 0.00005)
    for _ in range(pool.QUIET_BEFORE_PIPELINING - 1):
        demand.heard(0)
    assert not demand.pipelined()
    demand.heard(0)
    assert demand.pipelined()


def test_a_function_that_logs_is_not_pipelined_again() -> None:
    demand = _demand(1, 0.0001, 0.00005)
    for _ in range(pool.QUIET_BEFORE_PIPELINING):
        demand.heard(0)
    demand.heard(1)
    for _ in range(pool.QUIET_BEFORE_PIPELINING * 2):
        demand.heard(0)
    assert not demand.pipelined()


def test_a_function_slower_than_tiny_is_not_pipelined() -> None:
    demand = _demand(1, 0.005, 0.0001)
    for _ in range(pool.QUIET_BEFORE_PIPELINING):
        demand.heard(0)
    assert not demand.pipelined()
