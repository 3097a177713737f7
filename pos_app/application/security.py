"""PIN checks off the event loop: scrypt is slow on purpose.

They run on a thread of their own, never on the loop's default executor: some loops log the arguments of the
calls they hand to it, and a PIN must never reach a log.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from pos_app.application.ports import PasswordHasher
from pos_app.domain.staff import hash_pin, verify_pin


class ScryptPinHasher(PasswordHasher):
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="pos-pin-check")

    async def verify(self, pin: str, stored_hash: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._executor, verify_pin, pin, stored_hash)

    async def hash(self, pin: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._executor, hash_pin, pin)

    def close(self) -> None:
        self._executor.shutdown(wait=False)
