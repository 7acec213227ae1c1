"""The workbook a button was pressed in: is it the kind of PartnerXL workbook the button works in, what
`operations` reads from it, and the portfolio of an open register. Shared by every button module, so that a button
in a module of its own (pack_pdf.py) need not import buttons.py, which imports it back."""

from __future__ import annotations

from typing import Any

from partnerxl.core.errors import PartnerXLError

KIND_WORDS = {"register": "partnership register", "review": "annual review workbook",
              "response": "partner's response workbook"}
ALL_KINDS = ("register", "review", "response")


def a_kind(kind: str) -> str:
    """'a partnership register', 'an annual review workbook'."""
    return f"{'an' if kind == 'review' else 'a'} {KIND_WORDS.get(kind, kind)}"


def open_as(book: Any, label: str, kinds: tuple[str, ...]) -> tuple[Any, str]:
    """The book as a workbook source and its kind; a plain error if it is not a PartnerXL workbook of those kinds."""
    from partnerxl.excel.live import XlwingsWorkbook, book_label
    from partnerxl.sheets.grid import detect_kind

    source = XlwingsWorkbook(book)
    wanted = " or ".join(a_kind(k) for k in kinds)
    try:
        kind, _version = detect_kind(source)
    except PartnerXLError as exc:
        raise PartnerXLError(f"{exc}\n\n{label} works in {wanted} made from a PartnerXL template.") from None
    if kind not in kinds:
        raise PartnerXLError(f"'{book_label(book)}' is {a_kind(kind)}; {label} works in {wanted}. Open the right "
                             f"workbook and press {label} there.")
    return source, kind


def read_as(book: Any, label: str, kind: str) -> Any:
    """The open workbook read by `operations.read_any_kind` (a RegisterBook or ReviewBook)."""
    from partnerxl import operations as ops

    source, _kind = open_as(book, label, (kind,))
    return ops.read_any_kind(source)[1]


def register_portfolio(book: Any, label: str) -> Any:
    """The PortfolioReport of the open register and the reviews in its reviews folder."""
    from partnerxl import operations as ops
    from partnerxl.excel.live import book_path, status_bar_progress

    return ops.register_portfolio(read_as(book, label, "register"), book_path(book),
                                  progress=status_bar_progress(book, label))


RESPONSES_FOLDER_NAME = "PartnerXL_ResponsesFolder"


def responses_folder_cell(book: Any) -> str | None:
    """The text in the review's cell named PartnerXL_ResponsesFolder (a defined name an officer may add to say
    where returned forms are), or None when there is no such name or it is blank."""
    value = None
    try:
        for n in book.names:
            if n.name.split("!")[-1].casefold() == RESPONSES_FOLDER_NAME.casefold():
                value = n.refers_to_range.options(ndim=2).value[0][0]
                break
    except Exception:  # a name that is not a cell reference: ignore it
        value = None
    return str(value).strip() if value is not None and str(value).strip() else None
