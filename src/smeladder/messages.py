"""The one zh/en message catalogue: every word a letter, a trace or a list says to a person, in gettext form.

The English text is the message id; `locale/zh/LC_MESSAGES/smeladder.po` holds the Chinese. The catalogue is
read from the .po at run time with Babel (once per process, a few milliseconds), not from a compiled .mo: a
fresh clone runs from its source tree (`pip install -e`), where a .mo would be a build product that the
Makefile's set-up step rebuilds only when pyproject.toml changes, so an edited .po would silently keep the old
words. tests/test_messages.py checks that every message the code marks is in the catalogue and translated.

    words = messages.for_language("zh")
    words.gettext("To: {who}").format(who=name)
    words.ngettext("{n} year", "{n} years", n).format(n=n)

Module-level text is marked with `N_` (or `NP_` with a plural; they only mark) and translated where it is said.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from importlib import resources

DOMAIN = "smeladder"
LANGUAGES = ("zh", "en")


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it here (it is translated where it is said)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for the catalogue (said with `ngettext(*pair, n)`)."""
    return singular, plural


# What the catalogue's extraction reads as messages (Babel's own keywords and the markers above).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "NP_": (1, 2)}


@functools.cache
def for_language(lang: str) -> _gettext.NullTranslations:
    """The translations of `lang`: English is the catalogue's own text; Chinese is read from the .po."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose {' or '.join(LANGUAGES)}")
    if lang == "en":
        return _gettext.NullTranslations()
    return _from_po(lang)


def _from_po(lang: str) -> _gettext.NullTranslations:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    # Fuzzy entries are drafts: a letter says the English rather than a guess.
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def po_path(lang: str = "zh"):
    """The catalogue file of `lang` (for tests and for editing)."""
    return resources.files("smeladder") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
