"""What a file may cost to read: its size, its rows, one cell, and what an XLSX unpacks to.

A file is read as a stream (``files.read_rows``), so a worker's memory does not grow with
the file; these limits bound what is left, and each breach is an error of the file (or of
the cell) in the import's report, never a server error:

- ``max_bytes``: the file's size, checked before anything is read (the API also refuses a
  larger request outright: ``conversion_db.api.uploads``).
- ``max_rows``: rows read, empty ones included (a sheet of a million empty rows costs what
  a million rows cost to read; an XLSX's missing rows are read as empty ones).
- ``max_cell_chars``: one cell; a longer one is an error of that cell, and the rest of the
  row is read. A CSV or JSON Lines line longer than every cell of a row could be is an error
  of that line, and the file is read no further (``line_chars``).
- XLSX is a zip archive: before it is opened, the sizes its directory declares are checked
  (zipfile then refuses to unpack a member beyond its declared size): all members together
  at most ``max_unpacked_bytes``, and no member over 1 MB unpacking to more than
  ``max_ratio`` times its packed size. Spreadsheets pack 5 to 20 times; a zip bomb a
  thousand times.

``for_uploads`` is what the API and the admin apply (settings ``IMPORT_MAX_BYTES``,
``IMPORT_MAX_ROWS``, ``IMPORT_MAX_CELL_CHARS``, ``IMPORT_MAX_UNPACKED_BYTES``);
``for_files`` what the import commands apply to an operator's own files: no limit on size
or rows, the cell and zip-bomb checks still on.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from conversion_db.tabular.report import ImportFileError

MAX_RATIO = 100
RATIO_FLOOR = 1 << 20  # members smaller than this unpacked cannot hurt
CSV_FIELD_LIMIT = 131_072  # the csv module's own limit on one field (csv.field_size_limit())


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int | None = None
    max_rows: int | None = None
    max_cell_chars: int = 32_768
    max_unpacked_bytes: int | None = None
    max_ratio: int = MAX_RATIO

    @classmethod
    def for_uploads(cls) -> FileLimits:
        """Files sent to the web application (API and admin)."""
        return cls(
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
        )

    @classmethod
    def for_files(cls) -> FileLimits:
        """An operator's own files (the import commands): any size, any number of rows."""
        return cls(max_cell_chars=settings.IMPORT_MAX_CELL_CHARS)

    def line_chars(self, columns: int) -> int:
        """The longest line of text a row of ``columns`` cells can take (quotes, separators
        and a little room for columns beyond the table, which are reported, not read)."""
        return (self.max_cell_chars + 3) * (columns + 2)


def stream_size(stream: IO[bytes]) -> int | None:
    """The size of a file, without reading it (None when the stream cannot tell)."""
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        pass
    if stream.seekable():
        position = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(position)
        return end
    return None


def file_too_large(limit: int) -> ImportFileError:
    return ImportFileError(
        "file_too_large",
        _("The file is larger than %(limit)s; split it into smaller files.")
        % {"limit": megabytes(limit)},
    )


def megabytes(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB" if size >= 1 << 20 else f"{size} bytes"


def check_size(stream: IO[bytes], limits: FileLimits) -> None:
    if limits.max_bytes is None:
        return
    size = stream_size(stream)
    if size is not None and size > limits.max_bytes:
        raise file_too_large(limits.max_bytes)


def check_workbook(stream: IO[bytes], limits: FileLimits) -> None:
    """Refuse an XLSX whose declared unpacked sizes are too large or packed too tightly; the
    stream is left at its start."""
    try:
        members = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError("not_xlsx", _("The file is not an XLSX workbook.")) from exc
    finally:
        stream.seek(0)
    total = sum(member.file_size for member in members)
    if limits.max_unpacked_bytes is not None and total > limits.max_unpacked_bytes:
        raise ImportFileError(
            "xlsx_too_large",
            _("The workbook unpacks to %(size)s, more than %(limit)s; split it, or send it as CSV.")
            % {"size": megabytes(total), "limit": megabytes(limits.max_unpacked_bytes)},
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise ImportFileError(
                "xlsx_suspicious",
                _(
                    "The workbook's part %(part)s unpacks to %(ratio)d times its size, which no "
                    "spreadsheet does; it is not read."
                )
                % {
                    "part": member.filename[:100],
                    "ratio": member.file_size // max(member.compress_size, 1),
                },
            )


def too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        "too_many_rows",
        _("At most %(limit)d rows per file here (empty rows count too); split the file.")
        % {"limit": limit},
    )


def cell_too_long(limit: int) -> Any:
    return _("This cell has more than %(limit)d characters, the most a cell may have.") % {
        "limit": limit
    }


def line_too_long(line: int, limit: int) -> ImportFileError:
    return ImportFileError(
        "line_too_long",
        _(
            "This line is longer than %(limit)d characters, more than any row can be; the file "
            "was not read past it."
        )
        % {"limit": limit},
        row=line,
    )
