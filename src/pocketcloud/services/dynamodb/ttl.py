"""The TTL sweeper: deletes expired items in the background, as DynamoDB's TTL process does.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
Deletions go through the normal write path and leave a REMOVE stream record whose userIdentity names the
DynamoDB service, so stream consumers can tell TTL deletions from user deletions.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from .tables import capture_change, schema, ttl_value

log = logging.getLogger(__name__)

TTL_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
BATCH = 100


def sweep_once(store: Any, now: float | None = None) -> int:
    """Delete every item whose expiry has passed; returns how many were deleted."""
    now = time.time() if now is None else now
    deleted = 0
    for table in store.all_tables():
        if not (table.description.get("_ttl") or {}).get("Enabled"):
            continue
        # Re-read: the table may have changed since all_tables() built its records.
        table = store.get_table(table.account, table.region, table.name)
        if table is None:
            continue
        sch = schema(table)
        while True:
            keys = store.expired(table, now, BATCH)
            if not keys:
                break
            before = deleted
            with store.write() as txn:
                for key in keys:
                    item = txn.get(table, key)
                    expiry = ttl_value(sch, item) if item is not None else None
                    if item is None or expiry is None or expiry > now:
                        continue
                    txn.delete(table, key)
                    capture_change(txn, table, sch, item, None, user_identity=TTL_IDENTITY)
                    deleted += 1
            if len(keys) < BATCH or deleted == before:
                break
    return deleted


async def sweep_forever(state: Any) -> None:
    interval = max(0.05, float(state.config.ttl_sweep_seconds))
    while True:
        await asyncio.sleep(interval)
        try:
            count = sweep_once(state.storage.dynamodb)
            if count:
                log.info("TTL sweep deleted %s expired items", count)
        except Exception:  # a failed sweep must not end the loop
            log.exception("TTL sweep failed")


def start_sweeper(state: Any) -> None:
    if state.config.ttl_sweep_seconds > 0:
        state.spawn(sweep_forever(state), "dynamodb-ttl-sweeper")
