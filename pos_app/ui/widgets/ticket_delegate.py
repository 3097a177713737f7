"""Paints a kitchen ticket as a card: an age-coloured header with the order number; a black CANCELLED / CHANGED band
and a red ALLERGY band when the ticket has them (they cannot be missed); then one block per item the kitchen makes,
and the items that need no preparation apart at the bottom. A new ticket's card blinks with a yellow ring."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from pos_app.messages.dtos import KitchenTicketDto
from pos_app.ui import theme
from pos_app.ui.formatting import format_minutes
from pos_app.ui.models.kitchen_queue import (
    STATUS_LABELS,
    KitchenQueueModel,
    allergy_lines,
    item_label,
    no_preparation_text,
    ticket_type_text,
)

CARD_WIDTH = 250
MIN_CARD_HEIGHT = 170
MARGIN = 5  # around the card, inside the item rect: cards never touch
BORDER = 3
HEADER_HEIGHT = 70
PADDING = 10
ITEM_GAP = 8

AGE_COLOURS = {"on_time": theme.ON_TIME, "near": theme.NEAR, "late": theme.LATE}
HEADER_TEXT = {"on_time": QColor("white"), "near": QColor("#212121"), "late": QColor("white")}
AGE_LABELS = {"on_time": "", "near": "SOON", "late": "LATE"}  # beside the status: the colour is not all
INK = QColor("#212121")
NOTE_INK = QColor("#6a1b9a")
CARD_BACKGROUND = QColor("white")
SELECTED_BACKGROUND = QColor("#e3f2fd")
ALLERGY_BAND = QColor("#b71c1c")
NOTICE_BAND = QColor("#212121")
BAND_INK = QColor("white")
FLASH_RING = QColor("#ffd600")
ALLERGEN_INK = QColor("#5d4037")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    font: QFont
    colour: QColor
    height: int
    band: QColor | None = None
    """The line is part of a band of this colour (drawn the card's whole width)."""


def _font(base: QFont, pixels: int, *, bold: bool = False, italic: bool = False, strike: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(pixels)
    font.setBold(bold)
    font.setItalic(italic)
    font.setStrikeOut(strike)
    return font


def _measure(text: str, font: QFont, width: int) -> int:
    flags = int(Qt.TextFlag.TextWordWrap)
    return QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000), flags, text).height()


def _band_lines(ticket: KitchenTicketDto, base: QFont, width: int) -> list[_Line]:
    """The notice band (CANCELLED / CHANGED with its details) and the ALLERGY band (which line, which allergens)."""
    lines: list[_Line] = []
    bands: list[tuple[QColor, str, list[str]]] = []
    if ticket.notice is not None:
        bands.append((NOTICE_BAND, f"{ticket.notice.kind.upper()} (A)", list(ticket.notice.details)))
    if ticket.allergy_alert:
        bands.append((ALLERGY_BAND, "⚠ ALLERGY", allergy_lines(ticket)))
    for colour, title, details in bands:
        title_font, detail_font = _font(base, 20, bold=True), _font(base, 15, bold=True)
        lines.append(_Line(title, title_font, BAND_INK, _measure(title, title_font, width) + 4, colour))
        for detail in details:
            lines.append(_Line(detail, detail_font, BAND_INK, _measure(detail, detail_font, width) + 2, colour))
        lines.append(_Line("", detail_font, BAND_INK, ITEM_GAP, colour))
    return lines


def _body_lines(ticket: KitchenTicketDto, base: QFont, width: int) -> list[_Line]:
    """Each item the kitchen makes as wrapped text blocks: name and size, toppings, notes, the customer's allergies,
    what it contains. Ready items ticked and struck through. Then the items that need no preparation, apart."""
    lines: list[_Line] = []
    next_index = ticket.next_item_index if ticket.status == "cooking" else None
    for item in ticket.items:
        if not item.needs_preparation:
            continue
        mark = "✓" if item.ready else ("▶" if item.index == next_index else "•")
        ink, note_ink = (theme.MUTED, theme.MUTED) if item.ready else (INK, NOTE_INK)
        blocks = [
            (f"{mark} {item_label(item)} · {item.size.upper()[0]}", _font(base, 17, bold=True, strike=item.ready), ink)
        ]
        if item.toppings:
            blocks.append(("+ " + ", ".join(item.toppings), _font(base, 15, strike=item.ready), ink))
        if item.special_instructions:
            colour = theme.LATE if item.note_allergy_words else note_ink
            blocks.append((f"“{item.special_instructions}”", _font(base, 15, italic=True, bold=True), colour))
        if item.allergies:
            blocks.append((f"⚠ ALLERGY: {', '.join(item.allergies)}", _font(base, 15, bold=True), theme.LATE))
        if item.allergens:
            blocks.append(("Contains: " + ", ".join(item.allergens), _font(base, 13), ALLERGEN_INK))
        for position, (text, font, colour) in enumerate(blocks):
            height = _measure(text, font, width)
            lines.append(_Line(text, font, colour, height + (ITEM_GAP if position == len(blocks) - 1 else 0)))
    apart = no_preparation_text(ticket)
    if apart:
        text, font = f"No preparation: {apart}", _font(base, 14, italic=True)
        lines.append(_Line(text, font, theme.MUTED, _measure(text, font, width) + ITEM_GAP))
    return lines


def _card_lines(ticket: KitchenTicketDto, base: QFont, width: int) -> list[_Line]:
    return _band_lines(ticket, base, width) + _body_lines(ticket, base, width)


LAID_OUT_LIMIT = 1000
"""How many tickets' laid-out lines the delegate keeps at most (far more than a queue holds; then it starts over)."""


class TicketDelegate(QStyledItemDelegate):
    """Cards 250 px wide (four abreast beside the side panel at 1366 px) for a wrapping icon-mode list; a card grows
    with its items.

    A ticket's lines are laid out (wrapped and measured) once per version of the ticket: the list lays out every
    card again whenever a ticket arrives or leaves, and measuring text is most of a refresh's cost otherwise. A
    changed ticket is a new object in the model, so the lines kept for the old one are not used for it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._laid_out: dict[UUID, tuple[KitchenTicketDto, str, list[_Line]]] = {}

    def _lines_of(self, ticket: KitchenTicketDto, font: QFont) -> list[_Line]:
        kept = self._laid_out.get(ticket.order_id)
        font_key = font.key()
        if kept is not None and kept[0] is ticket and kept[1] == font_key:
            return kept[2]
        lines = _card_lines(ticket, font, self._text_width())
        if len(self._laid_out) >= LAID_OUT_LIMIT:
            self._laid_out.clear()
        self._laid_out[ticket.order_id] = (ticket, font_key, lines)
        return lines

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        ticket = index.data(KitchenQueueModel.TicketRole)
        if not isinstance(ticket, KitchenTicketDto):
            return QSize(CARD_WIDTH, MIN_CARD_HEIGHT)
        body = sum(line.height for line in self._lines_of(ticket, option.font))
        height = 2 * MARGIN + HEADER_HEIGHT + 2 * PADDING + body
        return QSize(CARD_WIDTH, max(MIN_CARD_HEIGHT, height))

    @staticmethod
    def _text_width() -> int:
        return CARD_WIDTH - 2 * MARGIN - 2 * PADDING

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        ticket = index.data(KitchenQueueModel.TicketRole)
        if not isinstance(ticket, KitchenTicketDto):
            return
        state = str(index.data(KitchenQueueModel.AgeStateRole))
        if ticket.status == "cancelled":
            state = "cancelled"  # nothing left to cook: no age colour, the notice band says it all
        age = format_minutes(int(index.data(KitchenQueueModel.AgeSecondsRole) or 0))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        flashing = bool(index.data(KitchenQueueModel.FlashRole))
        accent = AGE_COLOURS.get(state, theme.MUTED)
        header_ink = HEADER_TEXT.get(state, QColor("white"))
        card = option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)

        # The card, its age-coloured border and header; a thick highlight ring when selected.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(SELECTED_BACKGROUND if selected else CARD_BACKGROUND)
        painter.drawRoundedRect(card, 8, 8)
        header = QRect(card.left(), card.top(), card.width(), HEADER_HEIGHT)
        painter.setBrush(accent)
        painter.drawRoundedRect(header, 8, 8)
        painter.drawRect(header.adjusted(0, HEADER_HEIGHT // 2, 0, 0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(accent, BORDER))
        painter.drawRoundedRect(card.adjusted(1, 1, -1, -1), 8, 8)
        if flashing:
            painter.setPen(QPen(FLASH_RING, 8))
            painter.drawRoundedRect(card.adjusted(2, 2, -2, -2), 8, 8)
        if selected:
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Highlight), 5))
            painter.drawRoundedRect(card.adjusted(-2, -2, 2, 2), 10, 10)

        # Header: number and age on top; order type, then the late flag and status, below.
        inner = header.adjusted(PADDING, 4, -PADDING, -4)
        top = QRect(inner.left(), inner.top(), inner.width(), 38)
        bottom = QRect(inner.left(), inner.top() + 38, inner.width(), inner.height() - 38)
        painter.setPen(header_ink)
        painter.setFont(_font(option.font, 30, bold=True))
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"#{ticket.order_number}")
        painter.setFont(_font(option.font, 20, bold=True))
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, age)
        status = STATUS_LABELS.get(ticket.status, ticket.status).upper()
        flag = AGE_LABELS.get(state, "")
        right_text = f"{flag} · {status}" if flag else status
        status_font = _font(option.font, 14, bold=True)
        painter.setFont(status_font)
        status_width = QFontMetrics(status_font).horizontalAdvance(right_text) + 8
        painter.drawText(bottom, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, right_text)
        left_font = _font(option.font, 14)
        painter.setFont(left_font)
        left_text = ticket_type_text(ticket)
        left_rect = bottom.adjusted(0, 0, -status_width, 0)
        painter.drawText(
            left_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(left_font).elidedText(left_text, Qt.TextElideMode.ElideRight, left_rect.width()),
        )

        # Body: the bands, then the items, in order.
        y = header.bottom() + 1 + PADDING
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for line in self._lines_of(ticket, option.font):
            if line.band is not None:
                painter.fillRect(QRect(card.left() + BORDER, y, card.width() - 2 * BORDER, line.height), line.band)
            painter.setPen(line.colour)
            painter.setFont(line.font)
            painter.drawText(QRect(card.left() + PADDING, y, self._text_width(), line.height), flags, line.text)
            y += line.height
        painter.restore()
