"""The text encoding of a CSV or JSON Lines file: UTF-8 (with or without a BOM) or GB18030
(what Excel in China saves), and nothing else.

GB18030 gives a meaning to almost any sequence of bytes, so a file that is not UTF-8 cannot
simply be tried as GB18030: a Japanese Shift-JIS file decodes without an error, into
nonsense Chinese. ``text_encoding`` therefore

1. checks, in one pass over the file (blocks of ``BLOCK`` bytes, never the whole file in
   memory), whether it is valid UTF-8: then it is UTF-8 (``utf-8-sig`` drops a BOM);
2. otherwise asks charset-normalizer about the part of the file where UTF-8 failed
   (``SAMPLE`` bytes from the start of that line): the file is GB18030 only when it
   decodes as GB18030 and no other encoding explains that part better (less "chaos");
   otherwise it is refused with an error naming the encoding detected (Shift_JIS, Big5,
   EUC-KR, UTF-16 ...).

``open_text`` then decodes the file as a stream. A decoding error further on (a file that
changes encoding half way) is an error of the file naming the encoding.
"""

from __future__ import annotations

import codecs
import io
import shutil
import tempfile
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from conversion_db.tabular.report import ImportFileError

UTF8 = "utf-8-sig"
GB18030 = "gb18030"
BLOCK = 1 << 20
SAMPLE = 64 * 1024
GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312"})
# charset-normalizer's codec names, as people know them.
KNOWN_NAMES = {
    "cp932": "Shift_JIS",
    "shift_jis": "Shift_JIS",
    "shift_jis_2004": "Shift_JIS",
    "shift_jisx0213": "Shift_JIS",
    "euc_jp": "EUC-JP",
    "euc_jis_2004": "EUC-JP",
    "euc_jisx0213": "EUC-JP",
    "iso2022_jp": "ISO-2022-JP",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "cp950": "Big5",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "johab": "Johab",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "utf_32": "UTF-32",
}


def encoding_name(codec: str) -> str:
    """A codec name as people write it: ``cp932`` is Shift_JIS, ``cp1252`` Windows-1252."""
    if codec in KNOWN_NAMES:
        return KNOWN_NAMES[codec]
    if codec.startswith("cp125"):
        return f"Windows-{codec[2:]}"
    if codec.startswith("iso8859_"):
        return f"ISO-8859-{codec[8:]}"
    return codec.upper().replace("_", "-")


def seekable(stream: IO[bytes]) -> IO[bytes]:
    """``stream``, or a temporary copy of it that can be read twice."""
    if stream.seekable():
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=BLOCK)  # noqa: SIM115 - returned to the caller
    shutil.copyfileobj(stream, copy, BLOCK)
    copy.seek(0)
    return copy


def _first_non_utf8(stream: IO[bytes]) -> int | None:
    """The offset of the first byte that is not UTF-8, or None when the whole file is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    while block := stream.read(BLOCK):
        try:
            decoder.decode(block)
        except UnicodeDecodeError as exc:
            return offset + exc.start
        offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset + exc.start
    return None


def _sample_at(stream: IO[bytes], offset: int) -> bytes:
    """About ``SAMPLE`` bytes of whole lines, from the start of the line holding ``offset``."""
    start = max(0, offset - SAMPLE // 4)
    stream.seek(start)
    sample = stream.read(SAMPLE)
    cut = sample.rfind(b"\n", 0, offset - start)
    if cut >= 0:
        sample = sample[cut + 1 :]
    end = sample.rfind(b"\n")
    return sample[: end + 1] if end > 0 else sample


def _detected(sample: bytes) -> tuple[bool, Any]:
    """Whether ``sample`` is GB18030, and the name of the encoding detected."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        return False, _("an unknown encoding")
    best = min(matches, key=lambda match: match.chaos)
    for match in matches:
        if GB_FAMILY & {match.encoding, *match.could_be_from_charset}:
            if match.chaos <= best.chaos:
                return True, GB18030
            break
    return False, encoding_name(best.encoding)


def text_encoding(stream: IO[bytes]) -> str:
    """UTF-8 or GB18030 (see the module docstring); raises ImportFileError otherwise. The
    stream is left at its start."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refused("UTF-16")
    offset = _first_non_utf8(stream)
    if offset is None:
        stream.seek(0)
        return UTF8
    sample = _sample_at(stream, offset)
    stream.seek(0)
    is_gb, name = _detected(sample)
    if not (is_gb and _decodes_as_gb18030(sample)):
        raise _refused(_("an unknown encoding") if name == GB18030 else name)
    return GB18030


def _decodes_as_gb18030(sample: bytes) -> bool:
    try:
        sample.decode(GB18030)
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3  # a sample cut inside its last character
    return True


def _refused(name: Any) -> ImportFileError:
    return ImportFileError(
        "encoding",
        _("The file's text is in %(encoding)s; save it as UTF-8 (or GB18030) and send it again.")
        % {"encoding": name},
    )


def open_text(stream: IO[bytes]) -> io.TextIOWrapper:
    """The file as text, decoded as it is read (universal newlines are left to csv)."""
    stream = seekable(stream)
    encoding = text_encoding(stream)
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


def decoding_error(encoding: str) -> ImportFileError:
    """A file that stopped being ``encoding`` half way."""
    return ImportFileError(
        "encoding",
        _("The file is not all in one encoding: part of it is not %(encoding)s.")
        % {"encoding": "UTF-8" if encoding == UTF8 else "GB18030"},
    )
