"""The one zh/en message catalogue: every message the code marks is in the Chinese catalogue, translated (not
fuzzy), with the same placeholders and full-width punctuation; nothing in the catalogue is left unused; and it
loads from the .po of a fresh checkout, with no compiled file."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import smeladder
from smeladder import messages

PACKAGE = Path(smeladder.__file__).parent


@pytest.fixture(scope="module")
def marked() -> set[str | tuple[str, str]]:
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=messages.KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found}


@pytest.fixture(scope="module")
def catalogue():
    with messages.po_path("zh").open("rb") as handle:
        return read_po(handle, locale="zh")


def _key(message) -> str | tuple[str, str]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else message.id


def test_every_marked_message_is_translated(marked, catalogue):
    entries = {_key(m): m for m in catalogue if m.id}
    missing = sorted(map(str, marked - set(entries)))
    assert not missing, f"add to {messages.po_path('zh')}: {missing}"
    untranslated = [
        str(key) for key, m in entries.items() if m.fuzzy or not (m.string[0] if m.pluralizable else m.string)
    ]
    assert not untranslated


def test_nothing_in_the_catalogue_is_unused(marked, catalogue):
    unused = sorted(str(_key(m)) for m in catalogue if m.id and _key(m) not in marked)
    assert not unused


def test_translations_keep_the_placeholders_and_use_full_width_punctuation(catalogue):
    for message in catalogue:
        if not message.id:
            continue
        source = message.id[0] if message.pluralizable else message.id
        target = message.string[0] if message.pluralizable else message.string
        assert _fields(source) == _fields(target), source
        outside = re.sub(r"\{[^}]*\}", "", target)
        assert not re.search(r"[,;:()!?]", outside), f"{source!r} -> {target!r}"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_catalogue_loads_from_the_po_and_english_is_the_message_itself():
    assert messages.for_language("zh").gettext("References:") == "依据："
    assert messages.for_language("zh").ngettext("{n} year", "{n} years", 3).format(n=3) == "3年"
    assert messages.for_language("en").ngettext("{n} year", "{n} years", 1).format(n=1) == "1 year"
    assert messages.for_language("en").gettext("References:") == "References:"
    assert not list(PACKAGE.rglob("*.mo"))  # nothing compiled to go stale
    with pytest.raises(ValueError, match="zh or en"):
        messages.for_language("fr")
