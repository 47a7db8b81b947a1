"""`docs/data-format.md`, made from the schema so the two cannot drift (a test compares them).

Regenerate with: `python -m smeladder.registry.data_format > docs/data-format.md`
"""

from __future__ import annotations

from smeladder.registry import schema

INTRO = """# Registry data format

The registry has four tables. `smeladder import` reads each from a CSV, Parquet or Excel (.xlsx) file named after
the table (`enterprise.csv`, `enterprise_year-2025.xlsx`, ...; the first sheet of a workbook), with a header row
of the column names below, or of their Chinese names (the 中文 column: `统一社会信用代码`, `企业名称`, ...);
`smeladder export` writes the same layout with the column names. Column order does not matter; optional columns
may be left out; one column given twice (by both names) is refused.

Conventions:
- **Text encoding** of CSV files: UTF-8 (with or without the byte-order mark Excel's "CSV UTF-8" writes) or
  GB18030, which contains GBK and GB2312 (what Excel on a Chinese Windows writes as plain "CSV"), detected from the
  whole file; `--encoding` names another. The import summary says how each file was read.
- **Money** is yuan stored exactly as `DECIMAL(18,2)` (fen); `1,234.50` and `1234.5` are read as 1234.50. An
  amount written with more than two decimals is rounded half away from zero to the fen (`12.345` → 12.35,
  `12.3449` → 12.34: only the third decimal decides) and never silently: each such value is a warning (rule
  `rounded_to_fen`) naming file, row, field and the value as written, listed by the import, written to
  `reports/import-…-warnings.csv` and kept in the registry's `import_warnings` table.
- **Dates** are written `YYYY-MM-DD`; Excel date cells are accepted.
- **Booleans**: `true`/`false`, `1`/`0`, `yes`/`no`, `是`/`否`.
- **Blank cells** are missing values; a required column may not be blank.
- **Rows** in error reports are counted as a spreadsheet shows them: the header is row 1, the first record row 2.

Validation rules (the `rule` column of an error report): `required`, `wrong_type`, `out_of_range`,
`not_allowed_value`, `pattern`, `invalid_credit_code` (GB 32100 check by python-stdnum), `unknown_district`,
`unknown_enterprise` (no such credit code in the registry or the same import), `duplicate_key` (names the first
row with that key), `unknown_column`, `missing_column`, and the row rules listed under each table. A file that
cannot be read at all (not CSV, Parquet or a workbook; text in neither encoding) is refused with one line naming it
and the reason, and nothing of the batch is imported.
"""


def markdown() -> str:
    parts = [INTRO]
    for table in schema.TABLES.values():
        parts.append(
            f"\n## `{table.name}`\n\n{table.description} Key: {', '.join(f'`{k}`' for k in table.key)}.\n"
        )
        parts.append("| column | type | unit | required | meaning | 中文 | allowed | used by |")
        parts.append("|---|---|---|---|---|---|---|---|")
        for c in table.columns:
            allowed = []
            if c.choices:
                allowed.append(", ".join(f"`{x}`" for x in c.choices))
            if c.choices_from:
                allowed.append(c.choices_from)
            if c.minimum is not None:
                allowed.append(f"≥ {c.minimum:g}")
            if c.maximum is not None:
                allowed.append(f"≤ {c.maximum:g}")
            if c.pattern:
                allowed.append(f"matches `{c.pattern}`")
            parts.append(
                f"| `{c.name}` | {c.dtype} (`{c.sql_type}`) | {c.unit} | {'yes' if c.required else 'no'} | "
                f"{c.description} | {c.description_zh} | {'; '.join(allowed)} | {c.used_by} |"
            )
        if table.row_rules:
            parts.append("\nRow rules:\n")
            parts.extend(
                f"- `{rule}`: {message} (must hold: `{condition}`)"
                for rule, condition, message in table.row_rules
            )
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
