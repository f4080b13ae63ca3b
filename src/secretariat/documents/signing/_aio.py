"""Run pyHanko's coroutines from synchronous Django code."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_spare_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signing-aio")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run``; from inside a running event loop (an async view, Playwright's sync
    API in a test) the coroutine runs on a spare thread instead, which asyncio requires."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    return _spare_thread.submit(asyncio.run, coro).result()
