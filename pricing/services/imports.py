"""MRPC and discount from a spreadsheet (CSV or XLSX), and the SKU list out to one.

Import is two steps: `price_import_read` turns the file into lines and
`price_import_preview` checks every line with the same service as the API
and the admin actions (`sku_inputs_set`, dry run) and shows the diff;
`price_import_apply` then saves — nothing at all while any line has an error,
unless the manager chooses to save the valid lines only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.accounts import account_resolve
from ozonprice.models import Account
from pricing.rules import Targets
from pricing.services.edits import EditResult, sku_inputs_set

MAX_LINES = 100_000
EXPORT_COLUMNS = ("sku", "offer_id", "name", "price", "old_price", "showcase_price", "mrpc", "discount", "active")
# Header names a file may use for each column we read (compared in lower case).
ALIASES = {
    "sku": {"sku", "ozon sku", "ozon_sku", "sku ozon", "ску"},
    "offer_id": {"offer_id", "offer id", "article", "артикул", "артикул продавца"},
    "mrpc": {"mrpc", "мрц"},
    "discount": {"discount", "discount, %", "discount %", "скидка", "скидка, %", "скидка %"},
}


# OWASP "CSV injection": a spreadsheet runs a cell that starts with one of these as a formula
# (tab and CR: Excel skips them and reads on). An exported text cell that starts so gets a
# leading quote, and the import takes off a quote it finds there.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class ImportLine:
    line: int
    reference: str
    values: dict[str, Any]


@dataclass
class ImportRow:
    line: int
    reference: str
    sku: Sku | None = None
    mrpc: tuple[Decimal | None, Decimal | None] = (None, None)
    discount: tuple[Decimal | None, Decimal | None] = (None, None)
    targets: Targets | None = None
    error: str = ""

    @property
    def changed(self) -> bool:
        return not self.error and (self.mrpc[0] != self.mrpc[1] or self.discount[0] != self.discount[1])


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.error]

    @property
    def changes(self) -> list[ImportRow]:
        return [row for row in self.rows if row.changed]

    @property
    def unchanged(self) -> int:
        return len(self.rows) - len(self.errors) - len(self.changes)


# --- reading -------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        value = format(Decimal(value).normalize(), "f")
    # Stripped again: a quoted "\t=1" is read as "=1", as the same cell without the quote is.
    return formula_unquote(str(value).strip()).strip()


def formula_unquote(text: str) -> str:
    """An exported text as it was: the quote `formula_quote` added comes off; any other quote stays."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_STARTS else text


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte string
        raise ImportFileError(_("The file is not UTF-8 or Windows-1251 text."))
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed: the quote is Excel's '"'. The sniffer would take the
    # leading quotes of an export's neutralised formulas (`formula_quote`) for quote marks.
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportFileError(_("The file is not a readable XLSX workbook (%(error)s).") % {"error": error}) from None
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    finally:
        book.close()


def price_import_read(*, content: bytes, filename: str) -> list[ImportLine]:
    """The file's lines with a SKU reference and the values given (a blank cell keeps the SKU's value)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    header = next(rows, None)
    if not header:
        raise ImportFileError(_("The file is empty."))
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for key, names in ALIASES.items():
            if _cell(title).lower() in names:
                columns.setdefault(key, index)
    if "sku" not in columns and "offer_id" not in columns:
        raise ImportFileError(_("The first row must name a «sku» or «offer_id» column."))
    if "mrpc" not in columns and "discount" not in columns:
        raise ImportFileError(_("The first row must name a «mrpc» or «discount» column."))
    lines = []
    for number, row in enumerate(rows, start=2):

        def get(key: str, row=row) -> str:
            index = columns.get(key)
            return _cell(row[index]) if index is not None and index < len(row) else ""

        if not any(_cell(value) for value in row):
            continue
        values = {key: get(key) for key in ("mrpc", "discount") if get(key)}
        lines.append(ImportLine(line=number, reference=get("sku") or get("offer_id"), values=values))
        if len(lines) > MAX_LINES:
            raise ImportFileError(_("At most %(max)d lines per file.") % {"max": MAX_LINES})
    if not lines:
        raise ImportFileError(_("The file has no lines below its header."))
    return lines


# --- checking and saving -------------------------------------------------------
def price_import_preview(*, lines: list[ImportLine], account: Account | None = None) -> ImportPreview:
    """Every line checked as it would be saved, against `account`'s SKUs (None: the only account's); nothing is
    saved."""
    preview = ImportPreview()
    first_line: dict[str, int] = {}
    items, rows = [], {}
    for line in lines:
        row = ImportRow(line=line.line, reference=line.reference)
        preview.rows.append(row)
        if not line.reference:
            row.error = _("No SKU or article")
        elif line.reference in first_line:
            row.error = _("Repeats line %(line)d") % {"line": first_line[line.reference]}
        elif not line.values:
            row.error = _("Neither MRPC nor discount given")
        else:
            first_line[line.reference] = line.line
            items.append({"sku": line.reference, **line.values})
            rows[line.reference] = row
    result = sku_inputs_set(items=items, dry_run=True, account=account)
    for entry in result.updated:
        row = rows[entry["sku"]]
        sku = entry["row"]
        row.sku, row.targets = sku, entry["targets"]
        row.mrpc, row.discount = (sku.mrpc, entry["pair"][0]), (sku.discount, entry["pair"][1])
    for entry in result.errors:
        rows[entry["sku"]].error = entry["error"]
    return preview


class ImportHasErrors(ValueError):
    """The file has lines with errors and the manager did not choose to skip them."""


def price_import_apply(
    *, lines: list[ImportLine], skip_errors: bool = False, account: Account | None = None
) -> EditResult:
    """Save the file's changes to `account`'s SKUs (None: the only account's): all of them, or (with
    `skip_errors`) the valid lines only."""
    account = account if account is not None else account_resolve()
    preview = price_import_preview(lines=lines, account=account)
    if preview.errors and not skip_errors:
        raise ImportHasErrors(
            _("The file has %(count)d lines with errors: nothing was saved.") % {"count": len(preview.errors)}
        )
    valid = {row.reference for row in preview.changes}
    by_reference = {line.reference: line for line in lines}
    return sku_inputs_set(items=[{"sku": ref, **by_reference[ref].values} for ref in sorted(valid)], account=account)


# --- export --------------------------------------------------------------------
def price_table_rows(*, queryset: QuerySet[Sku]) -> Iterator[list[Any]]:
    """The header, then one row per SKU: what a manager edits and imports back."""
    yield list(EXPORT_COLUMNS)
    fields = ("sku", "offer_id", "name", "price", "old_price", "front_price", "mrpc", "discount", "active")
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        yield [("" if value is None else value) for value in row[:-1]] + [int(row[-1])]


def formula_quote(value: Any) -> Any:
    """A cell no spreadsheet runs: text that would start a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text, line by line (for a streaming response); a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in rows:
        writer.writerow([formula_quote(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_bytes(rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("SKU")
    for row in rows:
        # openpyxl stores a text that starts with "=" as a formula: quoted, it stays text.
        sheet.append([formula_quote(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
