import math

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) enclosing the circle of `km` around the point."""
    dlat = math.degrees(km * 1000 / EARTH_RADIUS_M)
    dlon = math.degrees(km * 1000 / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def format_distance(metres: float) -> str:
    """Danish style: "600 m", "1,2 km"."""
    if metres < 1000:
        return f"{round(metres / 50) * 50:.0f} m" if metres >= 100 else f"{round(metres):.0f} m"
    return f"{metres / 1000:.1f} km".replace(".", ",")
