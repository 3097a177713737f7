"""The look: large type, touch-sized controls, clear status colours."""

from __future__ import annotations

from PySide6.QtGui import QColor

ON_TIME = QColor("#2e7d32")
NEAR = QColor("#f9a825")
LATE = QColor("#c62828")
READY = QColor("#1565c0")
MUTED = QColor("#757575")

FOCUS = "#0b57d0"
FOCUS_RING = f"""
QPushButton:focus, QToolButton:focus {{ border: 3px solid {FOCUS}; padding: 2px 12px; }}
QPushButton:checked:focus, QPushButton#primary:focus {{ border: 3px solid {FOCUS}; padding: 2px 12px; }}
QLineEdit:focus {{ border: 3px solid {FOCUS}; padding: 7px 1px 6px 1px; }}
QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus, QPlainTextEdit:focus, QTextEdit:focus {{
    border: 3px solid {FOCUS}; border-radius: 4px; }}
QAbstractItemView {{ border: 3px solid #dcdcdc; }}
QAbstractItemView:focus {{ border: 3px solid {FOCUS}; }}
QAbstractItemView::item:focus {{ border: 3px solid {FOCUS}; color: black; background: #e8f0fe; }}
QCheckBox:focus, QRadioButton:focus {{ border: 3px solid {FOCUS}; border-radius: 4px; padding: 2px; }}
QTabBar::tab:focus {{ border: 3px solid {FOCUS}; }}
"""
"""A thick, high-contrast ring on the focused control (and on the current item of a focused list); buttons and fields
take its width out of their padding, so they keep their size with or without the focus. Screens and
widgets that set their own style sheet end theirs with it too: a widget's own sheet wins over its window's. A list's
frame keeps one width in every state (Qt does not re-lay a scroll area's frame when only its focus changes)."""

STYLE_SHEET = (
    """
QWidget { font-size: 15px; }
QPushButton { min-height: 40px; padding: 4px 14px; border-radius: 6px; border: 1px solid #b0b0b0;
              background: #fafafa; }
QPushButton:hover { background: #f0f0f0; }
QPushButton:pressed { background: #e0e0e0; }
QPushButton:disabled { color: #a0a0a0; background: #f2f2f2; border-color: #d6d6d6; }
QPushButton#primary { background: #c62828; color: white; font-size: 18px; font-weight: bold; min-height: 52px; }
QPushButton#primary:disabled { background: #e0a0a0; }
QPushButton:checked { background: #ffcdd2; border: 2px solid #c62828; padding: 3px 13px; }  /* same size checked */
QLabel#fieldError { color: #c62828; font-size: 13px; }
QLabel#heading { font-size: 20px; font-weight: bold; }
QLabel#total { font-size: 22px; font-weight: bold; }
QLabel#banner { background: #e8f5e9; border: 1px solid #2e7d32; border-radius: 6px; padding: 8px; font-size: 17px; }
QLineEdit { border: 1px solid #9e9e9e; border-radius: 4px; padding: 9px 3px 8px 3px; font-size: 16px; }
QAbstractSpinBox { min-height: 38px; font-size: 16px; padding: 0px 4px; }  /* as tall as a field, for a finger */
QAbstractSpinBox QLineEdit { border: none; padding: 0px; }  /* a spin box's own field: the box has the frame */
/* tall by padding (a min-height lets layouts squash); focused, the ring's width comes out of the padding, so a field
   keeps its size and the layout never has to re-fit it when only the focus moves */
QTableView, QListView { font-size: 15px; }
QTabBar::tab { min-width: 110px; min-height: 36px; font-size: 16px; }  /* four tabs and the session bar fit 1024 px */
"""
    + FOCUS_RING
)
