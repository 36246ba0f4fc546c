"""Oslo's 15 districts: names, slugs, populations and borders.

Pure data and geometry (shapely), no Django. Borders are the shipped copy of
`oslo-districts.geojson` (see `tillit/data/README.md` for source and licence).
Oslo's statistics count Sentrum together with St. Hanshaugen, and so do we.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.prepared import prep


@dataclass(frozen=True)
class DistrictInfo:
    number: int
    name: str
    slug: str
    population_2020: int  # inhabitants on 1 January 2020


DISTRICTS: tuple[DistrictInfo, ...] = (
    DistrictInfo(1, "Gamle Oslo", "gamle-oslo", 58_700),
    DistrictInfo(2, "Grünerløkka", "grunerlokka", 62_400),
    DistrictInfo(3, "Sagene", "sagene", 45_100),
    DistrictInfo(4, "St. Hanshaugen", "st-hanshaugen", 38_900),
    DistrictInfo(5, "Frogner", "frogner", 59_300),
    DistrictInfo(6, "Ullern", "ullern", 34_600),
    DistrictInfo(7, "Vestre Aker", "vestre-aker", 50_200),
    DistrictInfo(8, "Nordre Aker", "nordre-aker", 52_300),
    DistrictInfo(9, "Bjerke", "bjerke", 33_400),
    DistrictInfo(10, "Grorud", "grorud", 27_700),
    DistrictInfo(11, "Stovner", "stovner", 33_300),
    DistrictInfo(12, "Alna", "alna", 49_800),
    DistrictInfo(13, "Østensjø", "ostensjo", 50_800),
    DistrictInfo(14, "Nordstrand", "nordstrand", 52_500),
    DistrictInfo(15, "Søndre Nordstrand", "sondre-nordstrand", 39_100),
)
BY_SLUG = {d.slug: d for d in DISTRICTS}
BY_NAME = {d.name: d for d in DISTRICTS}
COUNTED_WITH = {"Sentrum": "St. Hanshaugen"}


@cache
def borders() -> dict[str, BaseGeometry]:
    """District slug -> border polygon (Sentrum merged into St. Hanshaugen)."""
    text = resources.files("tillit.data").joinpath("oslo-districts.geojson").read_text("utf-8")
    parts: dict[str, list[BaseGeometry]] = {}
    for feature in json.loads(text)["features"]:
        name = COUNTED_WITH.get(feature["properties"]["name"], feature["properties"]["name"])
        parts.setdefault(BY_NAME[name].slug, []).append(shape(feature["geometry"]))
    return {slug: unary_union(polys) for slug, polys in parts.items()}


@cache
def _index() -> tuple[STRtree, list[str], list]:
    items = list(borders().items())
    tree = STRtree([geom for _, geom in items])
    return tree, [slug for slug, _ in items], [prep(geom) for _, geom in items]


def district_at(lat: float, lon: float) -> str | None:
    """The slug of the district containing the point, or None outside them all
    (the forest, Marka, the fjord, or outside Oslo)."""
    tree, slugs, prepared = _index()
    point = Point(lon, lat)
    for i in tree.query(point):
        if prepared[int(i)].covers(point):
            return slugs[int(i)]
    return None


def random_point_in(slug: str, rng: random.Random, centres: int = 4) -> tuple[float, float]:
    """A point inside the district, clustered around a few seeded centres so
    that clients are denser where people live. Returns (lat, lon)."""
    geom = borders()[slug]
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    prepared = prep(geom)
    centre_rng = random.Random(f"{slug}-centres")
    hubs: list[tuple[float, float]] = []
    while len(hubs) < centres:
        lon, lat = centre_rng.uniform(min_lon, max_lon), centre_rng.uniform(min_lat, max_lat)
        if prepared.covers(Point(lon, lat)):
            hubs.append((lat, lon))
    spread_lat, spread_lon = (max_lat - min_lat) / 6, (max_lon - min_lon) / 6
    for _ in range(1000):
        if rng.random() < 0.75:
            hub_lat, hub_lon = hubs[rng.randrange(len(hubs))]
            lat, lon = rng.gauss(hub_lat, spread_lat), rng.gauss(hub_lon, spread_lon)
        else:
            lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        lat, lon = round(lat, 6), round(lon, 6)
        if prepared.covers(Point(lon, lat)) and district_at(lat, lon) == slug:
            return lat, lon
    raise RuntimeError(f"no point found inside {slug}")


@cache
def inside_point(slug: str) -> tuple[float, float]:
    """(lat, lon) of a point surely inside the district: where a person is
    placed when the district is chosen and the coordinates are not known."""
    point = borders()[slug].representative_point()
    return point.y, point.x
