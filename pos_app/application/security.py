"""PIN checks off the event loop: scrypt is slow on purpose."""

from __future__ import annotations

import asyncio

from pos_app.application.ports import PasswordHasher
from pos_app.domain.staff import verify_pin


class ScryptPinHasher(PasswordHasher):
    async def verify(self, pin: str, stored_hash: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(None, verify_pin, pin, stored_hash)
