"""A letter document rendered by one template set (templates/letter.{txt,md,html}.j2): plain text for a
terminal or a file, Markdown, and HTML. Each next action is worded by the interface (`actions`: code ->
text with {key} and {as_of}), so the document itself never says what to type or where to click."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from smeladder.rules.letter_document import Letter, NextAction

FORMATS = {"text": "letter.txt.j2", "markdown": "letter.md.j2", "html": "letter.html.j2"}


@functools.cache
def _environment(html: bool):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("smeladder.rules", "templates"),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )


def render(letter: Letter, fmt: str = "text", actions: Mapping[str, str] | None = None) -> str:
    """`letter` as `fmt` (text, markdown or html); `actions` words the next actions it names."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown letter format {fmt!r}: choose {', '.join(FORMATS)}")

    def worded(action: NextAction) -> str:
        template = (actions or {}).get(action.code, "")
        return template.format(key=action.key, as_of=action.as_of.isoformat())

    template = _environment(fmt == "html").get_template(FORMATS[fmt])
    text = template.render(letter=letter, worded=worded, zh=letter.lang == "zh")
    # The templates open and close blocks freely; a letter never has two blank lines in a row.
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip("\n")
