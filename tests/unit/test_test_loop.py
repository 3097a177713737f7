import asyncio

import qasync


async def test_async_tests_run_on_a_qasync_loop_like_the_app() -> None:
    assert isinstance(asyncio.get_running_loop(), qasync.QEventLoop)
