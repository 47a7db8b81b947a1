"""A small synthetic registry with stations and partners, the data the network's service tests read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smeladder.network import enterprises, partners, stations
from smeladder.network.store import NetworkStore
from smeladder.registry.store import RegistryStore
from smeladder.registry.synth import synthesize
from smeladder.rules.locate import find_pack
from smeladder.services.context import AppContext, Settings

AS_OF = dt.date(2026, 1, 1)


def build(root: Path, firms: int = 1_500, n_stations: int = 60) -> Path:
    """A registry of `firms` enterprises (seed 11) and `n_stations` stations placed near them."""
    RegistryStore(root).load_tables(synthesize(firms, range(2024, 2026), 11))
    found = enterprises.load_enterprises(root, AS_OF, find_pack().ladder)
    store = NetworkStore(root)
    store.replace(
        "station", stations.synthesize_stations(found["latitude"], found["longitude"], n_stations, 3)
    )
    store.replace("partner", partners.synthesize_partners(200, seed=3))
    return root


def context(root: Path, **settings) -> AppContext:
    return AppContext(Settings(data_dir=root, **settings))
