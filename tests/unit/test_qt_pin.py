"""PySide6 6.12.0 aborts Python 3.11 after a few hundred signal emits (a leaked reference to `True`).

Keep the pin below 6.12 until a fixed release, and prove the installed Qt survives many emits.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

EMITS = """
from PySide6.QtCore import QObject, Signal

class Source(QObject):
    changed = Signal(bool)

source = Source()
seen = []
source.changed.connect(seen.append)
for _ in range(5000):
    source.changed.emit(True)
print(len(seen))
"""


def test_the_installed_pyside6_is_below_the_release_that_crashes_python_311() -> None:
    installed = tuple(int(part) for part in version("PySide6-Essentials").split(".")[:2])

    assert installed < (6, 12)
    assert version("PySide6-Addons") == version("PySide6-Essentials")


def test_thousands_of_signal_emits_do_not_crash_the_interpreter() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", EMITS], capture_output=True, text=True, timeout=120, env={"QT_QPA_PLATFORM": "offscreen"}
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "5000"
