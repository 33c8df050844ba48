"""Addresses to coordinates through Dataforsyningen's GSearch address service.

Off unless `GSEARCH_TOKEN` is set; then nothing is looked up and people place pins by hand (the latitude and
longitude fields). The network is never required: an unreachable service raises `GeocoderUnavailable`, which
callers turn into one warning.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

DEFAULT_URL = "https://api.dataforsyningen.dk/rest/gsearch/v2.0/adresse"
TIMEOUT_SECONDS = 3.0
MAX_RESPONSE_BYTES = 1_000_000
# Denmark's bounding box, the same as the Actor model's validators. Latitudes and longitudes inside it
# cannot be mistaken for each other, which lets us accept either axis order.
LATITUDE_RANGE = (54.4, 57.9)
LONGITUDE_RANGE = (7.9, 15.3)


class GeocoderUnavailable(Exception):
    """The service could not be reached or gave an answer we cannot use (not: the address was not found)."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def in_denmark(latitude: float, longitude: float) -> bool:
    return LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]


class GSearchGeocoder:
    """Looks up one address at a time in GSearch, asking for WGS84 (srid=4326)."""

    def __init__(self, *, url: str, token: str, timeout: float = TIMEOUT_SECONDS) -> None:
        if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
            raise ValueError("GSEARCH_URL must be an http or https address")
        self.url = url
        self.token = token
        self.timeout = timeout

    def geocode(self, address: str) -> Point | None:
        """The address's position, or None when GSearch finds nothing usable for it."""
        if not address.strip():
            return None
        query = urllib.parse.urlencode({"q": address, "limit": 1, "srid": 4326, "token": self.token})
        request = urllib.request.Request(
            f"{self.url}{'&' if '?' in self.url else '?'}{query}", headers={"Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise GeocoderUnavailable(f"GSearch answered HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            raise GeocoderUnavailable(f"GSearch could not be reached: {error}") from error
        if len(body) > MAX_RESPONSE_BYTES:
            raise GeocoderUnavailable("GSearch's answer was unexpectedly large")
        try:
            results = json.loads(body)
        except ValueError as error:
            raise GeocoderUnavailable("GSearch's answer was not JSON") from error
        return first_point(results)


def first_point(results: Any) -> Point | None:
    """The first result's position, read defensively: GeoJSON Point or MultiPoint, in either axis order."""
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        return None
    hit = results[0]
    for key in ("geometri", "geometry", "vejpunkt_geometri"):
        geometry = hit.get(key)
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        while isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
            coordinates = coordinates[0]
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            continue
        x, y = coordinates[0], coordinates[1]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (x, y)):
            continue
        if in_denmark(y, x):  # GeoJSON order: longitude, latitude
            return Point(latitude=float(y), longitude=float(x))
        if in_denmark(x, y):  # EPSG:4326's official order: latitude, longitude
            return Point(latitude=float(x), longitude=float(y))
    return None


def get_geocoder() -> GSearchGeocoder | None:
    """The configured geocoder, or None when it is off (no token)."""
    token = getattr(settings, "GSEARCH_TOKEN", "")
    if not token:
        return None
    return GSearchGeocoder(url=getattr(settings, "GSEARCH_URL", DEFAULT_URL), token=token)
