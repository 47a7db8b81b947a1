"""Find a policy pack by path or by name, the same way for built-in and third-party packs.

`--pack` takes a directory (any pack on disk) or a name: `shanghai` resolves to the built-in packs directory
`smeladder/packs/<name>/`. Default: $SMELADDER_PACK, else `shanghai`.
"""

from __future__ import annotations

import os
from pathlib import Path

from smeladder.rules.errors import PackError
from smeladder.rules.load import load_pack
from smeladder.rules.pack import Pack

ENV_PACK = "SMELADDER_PACK"
DEFAULT_PACK = "shanghai"
BUILTIN_PACKS = Path(__file__).resolve().parent.parent / "packs"


def pack_directory(spec: str | Path | None = None) -> Path:
    spec = spec or os.environ.get(ENV_PACK) or DEFAULT_PACK
    path = Path(spec)
    if (path / "pack.yaml").is_file():
        return path
    builtin = BUILTIN_PACKS / str(spec)
    if (builtin / "pack.yaml").is_file():
        return builtin
    known = sorted(p.parent.name for p in BUILTIN_PACKS.glob("*/pack.yaml")) if BUILTIN_PACKS.is_dir() else []
    raise PackError(
        f"no policy pack {str(spec)!r}: give a directory with a pack.yaml or a built-in name "
        f"({', '.join(known) or 'none installed'})"
    )


def find_pack(spec: str | Path | None = None) -> Pack:
    return load_pack(pack_directory(spec))
