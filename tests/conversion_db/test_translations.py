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
    in the msgid as gettext stores it (``context\x04msgid``)."""
    result = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        flags, part, texts = "", None, {"msgctxt": "", "msgid": "", "msgstr": ""}
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                part, _, rest = line.partition(" ")
                texts[part] = rest.strip()[1:-1]
            elif line.startswith('"') and part:
                texts[part] += line.strip()[1:-1]
        if texts["msgid"]:
            msgid = texts["msgid"]
            if texts["msgctxt"]:
                msgid = texts["msgctxt"] + "\x04" + msgid
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
    stale = [
        msgid
        for _flags, msgid, msgstr in entries(po)
        if compiled.gettext(unescape(msgid)) != unescape(msgstr)
    ]
    assert stale == []
