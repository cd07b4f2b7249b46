"""Label stock: the A4 sheets of sticky labels sold in the UK, by product code, with the printer's
unprintable edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from print.errors import PosterError

A4 = (210.0, 297.0)
PRINTER_EDGE_MM = 4.0  # desktop printers cannot print this close to the sheet's edge
LABEL_PADDING_MM = 1.5  # nothing that matters closer than this to a label's cut (die drift)


@dataclass(frozen=True)
class Stock:
    """One label product: label size, grid and where the grid sits on an A4 sheet (mm)."""
    name: str
    description: str
    width: float
    height: float
    cols: int
    rows: int
    left: float  # sheet edge to the first label
    top: float
    pitch_x: float  # label origin to the next label's origin
    pitch_y: float

    @property
    def count(self) -> int:
        """Labels per sheet."""
        return self.cols * self.rows

    def origin(self, slot: int) -> tuple[float, float]:
        """The bottom-left corner of label slot (0 = top left, then along the row), mm from the
        sheet's bottom-left."""
        row, col = divmod(slot, self.cols)
        x = self.left + col * self.pitch_x
        y = A4[1] - self.top - row * self.pitch_y - self.height
        return x, y


class _Grid(TypedDict):
    """A stock's label size and grid, shared by products cut from the same die."""

    width: float
    height: float
    cols: int
    rows: int
    left: float
    top: float
    pitch_x: float
    pitch_y: float


_L7160 = _Grid(width=63.5, height=38.1, cols=3, rows=7, left=7.21, top=15.15, pitch_x=66.04,
              pitch_y=38.1)
STOCKS: dict[str, Stock] = {s.name: s for s in (
    Stock("L7160", "Avery L7160 (laser), 63.5 × 38.1 mm, 21 to a sheet", **_L7160),
    Stock("J8160", "Avery J8160 (inkjet), 63.5 × 38.1 mm, 21 to a sheet", **_L7160),
    Stock("L7163", "Avery L7163, 99.1 × 38.1 mm, 14 to a sheet", width=99.1, height=38.1,
          cols=2, rows=7, left=4.65, top=15.15, pitch_x=101.6, pitch_y=38.1),
    Stock("borderless-21", "borderless 70 × 42.3 mm, 21 to a sheet (e.g. Avery 3652)",
          width=70.0, height=42.3, cols=3, rows=7, left=0.0, top=0.45, pitch_x=70.0,
          pitch_y=42.3),
)}


def stock(name: str) -> Stock:
    """The label product named name; PosterError listing the known ones otherwise."""
    try:
        return STOCKS[name]
    except KeyError:
        raise PosterError(f"unknown label stock {name!r}: use one of {', '.join(STOCKS)}") from None
