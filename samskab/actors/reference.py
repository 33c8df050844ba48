"""Reference data kept as files in actors/data/: the 98 municipalities and the theme taxonomy."""

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def load_reference_data(municipality_model: Any, theme_model: Any) -> None:
    """Create or update every municipality and theme. Safe to run any number of times."""
    with open(DATA / "kommuner.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            municipality_model.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "region": row["region"]}
            )
    with open(DATA / "themes.csv", encoding="utf-8", newline="") as f:
        for position, row in enumerate(csv.DictReader(f)):
            theme_model.objects.update_or_create(
                slug=row["slug"],
                defaults={"name_da": row["name_da"], "name_en": row["name_en"], "position": position},
            )
