"""Every message has its Chinese translation, and the compiled catalogues are current.

A fuzzy entry (makemessages' guess after a msgid changed) is not compiled, so the user
would see English, or worse, the translation of a different message: none may remain.
"""

import gettext
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def entries(po: Path) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of each entry, with continued lines joined; a context is kept
    in the msgid as gettext stores it (``context\x04msgid``), and so is a plural
    (``msgid\x00msgid_plural``, with the first form ``msgstr[0]``)."""
    result = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        flags, part = "", None
        texts = {"msgctxt": "", "msgid": "", "msgid_plural": "", "msgstr": ""}
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")):
                part, _, rest = line.partition(" ")
                part = part.removesuffix("[0]")
                texts[part] = rest.strip()[1:-1]
            elif line.startswith('"') and part:
                texts[part] += line.strip()[1:-1]
        if texts["msgid"]:
            msgid = texts["msgid"]
            if texts["msgctxt"]:
                msgid = texts["msgctxt"] + "\x04" + msgid
            if texts["msgid_plural"]:
                msgid = msgid + "\x00" + texts["msgid_plural"]
            result.append((flags, msgid, texts["msgstr"]))
    return result


def test_there_are_catalogues():
    assert {po.parts[-5] for po in CATALOGUES} >= {"conversion_db", "patents"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-5])
def test_every_message_is_translated_into_chinese(po):
    problems = [msgid for flags, msgid, msgstr in entries(po) if "fuzzy" in flags or not msgstr]
    assert problems == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-5])
def test_the_compiled_catalogue_has_every_translation(po):
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    unescape = lambda text: text.encode("latin-1", "backslashreplace").decode("unicode_escape")  # noqa: E731

    def translated(msgid: str) -> str:
        singular, _, plural = unescape(msgid).partition("\x00")
        return compiled.ngettext(singular, plural, 1) if plural else compiled.gettext(singular)

    stale = [
        msgid for _flags, msgid, msgstr in entries(po) if translated(msgid) != unescape(msgstr)
    ]
    assert stale == []
