"""Where smeladder keeps its files: `--data-dir`, else `SMELADDER_HOME`, else `./smeladder-data`."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "SMELADDER_HOME"
DEFAULT_HOME = "smeladder-data"


def data_dir(explicit: Path | str | None = None) -> Path:
    """The data directory, created if missing."""
    chosen = Path(explicit) if explicit else Path(os.environ.get(ENV_HOME, DEFAULT_HOME))
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen
