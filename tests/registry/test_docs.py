from pathlib import Path

from smeladder.registry import data_format

ROOT = Path(__file__).resolve().parents[2]


def test_data_format_doc_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert committed == data_format.markdown(), (
        "docs/data-format.md is stale: python -m smeladder.registry.data_format > docs/data-format.md"
    )
