"""Survey instruments as data: load and validate `instruments/<id>.v<version>.json` into frozen dataclasses.

Pure Python (no Django), so the scoring maths and its tests run without a database. A file holds:

- `id`, `version`, `name_da`, `name_en`, `source` (citation), `source_da` (the same, its own words in Danish:
  "Begreb:" for "Concept:"; titles stay as published), `licence`, `licence_da`, `validated`, `notes`;
- `response_scales`: `id`, `options` (`value`, `label_da`, `label_en`; value null = a non-scored answer such
  as "Don't know", counted as missing), `wording`;
- `items`: `id`, `type` (choice | text), `text_da`, `text_en`, `response_scale`, `reversed`, `scale` (the
  scale that scores it, or null), `sensitive` (a text item is sensitive whatever it says), `level` (COPSOQ
  CORE/MIDDLE/LONG, optional), `wording`;
- `scales`: `id`, `name_da`, `name_en`, `items`, `scoring` (see SCORING_RULES), `validated`,
  `min_respondents` (a raised anonymity threshold, or null), `share_at_or_above` (a cut-off: the scale also
  reports the share of people scoring at or above it, e.g. OECD "high trust" 6-10; needs `min_respondents` of
  at least SENSITIVE_MIN_RESPONDENTS), `source`, `notes`.

Loading never half-succeeds: every problem in a file is collected and raised together as one
`InstrumentError`, each with the JSON path it concerns.

Wording provenance is recorded per text (`wording`), because a validated instrument is only validated in the
wording that was tested: `verified` (seen verbatim in the cited source), `secondary` (transcribed by a
secondary source), `recalled` (recalled from the literature, not seen), `draft` (a Samskab draft, e.g. a
translation, to be replaced by the official text) and `own` (Samskab's own item, never validated).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_DIRECTORY = Path(__file__).with_name("instruments")

# COPSOQ practice: no report for fewer than 5 respondents; a scale may raise, never lower, this.
DEFAULT_MIN_RESPONDENTS = 5
# Sensitive items (offensive behaviour, health, free text) and shares (percentages) are reported only for
# larger groups: a share, like a sentence in someone's own words, gives a person away more easily than a mean.
SENSITIVE_MIN_RESPONDENTS = 10

ITEM_TYPES = ("choice", "text")
LEVELS = ("CORE", "MIDDLE", "LONG")
WORDING_STATUSES = ("verified", "secondary", "recalled", "draft", "own")
LANGUAGES = ("da", "en")
# points_0_100: the COPSOQ rule, the option's position on a k-point scale mapped to 0..100 (5 points:
# 0/25/50/75/100), reversed items flipped, person's score = mean of answered items if at least half answered.
# mean: the same but on the options' own values (e.g. 0-10 trust items), reversed as min + max - value.
SCORING_RULES = ("points_0_100", "mean")

_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_INSTRUMENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<file>'}: {self.message}"


class InstrumentError(ValueError):
    """Raised with every problem found in an instrument file, not only the first."""

    def __init__(self, source: str, problems: Iterable[Problem]):
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class Option:
    value: float | None  # None: a non-scored answer such as "I have no superior" (counted as missing)
    label_da: str
    label_en: str


@dataclass(frozen=True)
class ResponseScale:
    id: str
    options: tuple[Option, ...]
    wording: Mapping[str, str] = field(default_factory=dict)

    @property
    def scored_values(self) -> tuple[float, ...]:
        """The scored option values in ascending order; an answer's position is its index here."""
        return tuple(sorted(o.value for o in self.options if o.value is not None))

    @property
    def k(self) -> int:
        return len(self.scored_values)


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    text_da: str
    text_en: str
    response_scale: str | None
    reversed: bool
    scale: str | None
    sensitive: bool
    level: str | None = None
    wording: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""

    @property
    def is_sensitive(self) -> bool:
        """Marked sensitive, or a text item: what people write in their own words can tell who wrote it in ways a
        chosen option cannot, so free text always takes the sensitive threshold, whatever its file says."""
        return self.sensitive or self.type == "text"


@dataclass(frozen=True)
class Scale:
    id: str
    name_da: str
    name_en: str
    items: tuple[str, ...]
    scoring: str
    validated: bool
    min_respondents: int | None = None
    source: str = ""
    notes: str = ""
    share_at_or_above: float | None = None  # also report the share of scores at or above this


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    name_da: str
    name_en: str
    source: str
    source_da: str
    licence: str
    licence_da: str
    validated: bool
    notes: tuple[str, ...]
    response_scales: tuple[ResponseScale, ...]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]

    def item(self, item_id: str) -> Item:
        return _by_id(self.items, item_id, "item")

    def scale(self, scale_id: str) -> Scale:
        return _by_id(self.scales, scale_id, "scale")

    def response_scale(self, scale_id: str) -> ResponseScale:
        return _by_id(self.response_scales, scale_id, "response scale")

    def items_of(self, scale_id: str) -> tuple[Item, ...]:
        return tuple(self.item(i) for i in self.scale(scale_id).items)

    def wording_verified(self, language: str) -> bool:
        """True only if every item text and option label in `language` was seen verbatim in its source."""
        wordings = [t.wording for t in self.items] + [r.wording for r in self.response_scales]
        return all(w.get(language) == "verified" for w in wordings)

    def min_respondents(self, *, scale: str | None = None, item: str | None = None) -> int:
        """The smallest group for which a scale's or an item's aggregate may be shown.

        A scale uses its own override or the default; an item uses the larger of its scale's threshold and,
        when sensitive (every text item is), `SENSITIVE_MIN_RESPONDENTS`.
        """
        if (scale is None) == (item is None):
            raise ValueError("pass exactly one of scale= or item=")
        if scale is not None:
            return self.scale(scale).min_respondents or DEFAULT_MIN_RESPONDENTS
        it = self.item(item)  # type: ignore[arg-type]
        threshold = self.min_respondents(scale=it.scale) if it.scale else DEFAULT_MIN_RESPONDENTS
        return max(threshold, SENSITIVE_MIN_RESPONDENTS) if it.is_sensitive else threshold

    @property
    def levels(self) -> tuple[str, ...]:
        """The COPSOQ lengths (`at_level`) this instrument may be asked in. None unless every item carries its
        level, i.e. a selection of COPSOQ scales: in a combination with untagged items from other sources
        (workplace-social-capital) the tags are for reference, and a level would drop parts of the combination
        (horizontal trust entirely at CORE). Of those, only the levels that keep every scale."""
        if not self.items or any(item.level is None for item in self.items):
            return ()
        return tuple(level for level in LEVELS if len(self.at_level(level).scales) == len(self.scales))

    def at_level(self, level: str) -> Instrument:
        """The instrument restricted to one COPSOQ level (CORE ⊂ MIDDLE ⊂ LONG); untagged items stay."""
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        allowed = set(LEVELS[: LEVELS.index(level) + 1])
        items = tuple(i for i in self.items if i.level is None or i.level in allowed)
        kept = {i.id for i in items}
        scales = []
        for s in self.scales:
            scale_items = tuple(i for i in s.items if i in kept)
            if scale_items:
                scales.append(replace(s, items=scale_items))
        return replace(self, items=items, scales=tuple(scales))


def _by_id[T](rows: tuple[T, ...], wanted: str, kind: str) -> T:
    for row in rows:
        if row.id == wanted:  # type: ignore[attr-defined]
            return row
    raise KeyError(f"unknown {kind} {wanted!r}")


# --- validation -------------------------------------------------------------------------------------------

_INSTRUMENT_KEYS = {
    "id": True,
    "version": True,
    "name_da": True,
    "name_en": True,
    "source": True,
    "source_da": True,
    "licence": True,
    "licence_da": True,
    "validated": True,
    "notes": False,
    "response_scales": True,
    "items": True,
    "scales": True,
}
_RESPONSE_SCALE_KEYS = {"id": True, "options": True, "wording": True, "notes": False}
_OPTION_KEYS = {"value": True, "label_da": True, "label_en": True}
_ITEM_KEYS = {
    "id": True,
    "type": True,
    "text_da": True,
    "text_en": True,
    "response_scale": False,
    "reversed": False,
    "scale": False,
    "sensitive": True,
    "level": False,
    "wording": True,
    "notes": False,
}
_SCALE_KEYS = {
    "id": True,
    "name_da": True,
    "name_en": True,
    "items": True,
    "scoring": True,
    "validated": True,
    "min_respondents": False,
    "share_at_or_above": False,
    "source": False,
    "notes": False,
}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def keys(self, obj: Any, path: str, spec: Mapping[str, bool]) -> bool:
        if not isinstance(obj, dict):
            self.add(path, f"expected an object, got {type(obj).__name__}")
            return False
        for key, required in spec.items():
            if required and key not in obj:
                self.add(_join(path, key), _missing(key))
        for key in obj:
            if key not in spec:
                self.add(_join(path, key), "unknown field")
        return True

    def text(self, obj: dict, path: str, key: str) -> str:
        value = obj.get(key)
        if key not in obj:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(_join(path, key), _missing(key))
            return ""
        return value

    def boolean(self, obj: dict, path: str, key: str, default: bool = False) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.add(_join(path, key), "must be true or false")
            return default
        return value

    def identifier(self, obj: dict, path: str, key: str = "id") -> str:
        value = obj.get(key)
        if key in obj and (not isinstance(value, str) or not _ID.match(value)):
            self.add(_join(path, key), "must be letters, digits, '_' or '-'")
            return ""
        return value or ""

    def wording(self, obj: dict, path: str) -> dict[str, str]:
        value = obj.get("wording")
        if "wording" not in obj:
            return {}
        if not isinstance(value, dict):
            self.add(_join(path, "wording"), 'must be an object like {"da": ..., "en": ...}')
            return {}
        for lang in LANGUAGES:
            if value.get(lang) not in WORDING_STATUSES:
                self.add(_join(path, f"wording.{lang}"), f"must be one of {', '.join(WORDING_STATUSES)}")
        for lang in value:
            if lang not in LANGUAGES:
                self.add(_join(path, f"wording.{lang}"), "unknown language")
        return {k: v for k, v in value.items() if isinstance(v, str)}


def _missing(key: str) -> str:
    if key.endswith("_da"):
        return "missing Danish text"
    if key.endswith("_en"):
        return "missing English text"
    return "is required"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _unique(checker: _Checker, rows: list, path: str, kind: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        rid = row.get("id") if isinstance(row, dict) else None
        if not isinstance(rid, str) or not rid:
            continue
        if rid in seen:
            checker.add(f"{path}[{i}].id", f"duplicate {kind} id {rid!r} (first at {path}[{seen[rid]}])")
        else:
            seen[rid] = i
    return seen


def _list(checker: _Checker, data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        checker.add(key, "must be a list")
        return []
    return value


def parse_instrument(data: Any, *, source: str = "<data>", expected_name: str | None = None) -> Instrument:
    """Validate already-decoded JSON and build the `Instrument`; raise `InstrumentError` with all problems."""
    c = _Checker()
    if not c.keys(data, "", _INSTRUMENT_KEYS):
        raise InstrumentError(source, c.problems)

    inst_id = data.get("id")
    if "id" in data and (not isinstance(inst_id, str) or not _INSTRUMENT_ID.match(inst_id)):
        c.add("id", "must be lower-case words joined by '-'")
    version = data.get("version")
    if "version" in data and (isinstance(version, bool) or not isinstance(version, int) or version < 1):
        c.add("version", "must be a positive integer")
    for key in ("name_da", "name_en", "source", "source_da", "licence", "licence_da"):
        c.text(data, "", key)
    validated = c.boolean(data, "", "validated")
    notes = data.get("notes", [])
    if isinstance(notes, str):
        notes = [notes]
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        c.add("notes", "must be text or a list of texts")
        notes = []
    if (
        expected_name is not None
        and isinstance(inst_id, str)
        and isinstance(version, int)
        and expected_name != f"{inst_id}.v{version}.json"
    ):
        c.add("", f"file name should be {inst_id}.v{version}.json for id {inst_id!r} version {version}")

    raw_rs, raw_items, raw_scales = (_list(c, data, k) for k in ("response_scales", "items", "scales"))
    rs_index = _unique(c, raw_rs, "response_scales", "response scale")
    _unique(c, raw_items, "items", "item")
    scale_index = _unique(c, raw_scales, "scales", "scale")

    response_scales: dict[str, ResponseScale] = {}
    for i, rs in enumerate(raw_rs):
        path = f"response_scales[{i}]"
        if not c.keys(rs, path, _RESPONSE_SCALE_KEYS):
            continue
        rid = c.identifier(rs, path)
        wording = c.wording(rs, path)
        options = []
        raw_options = rs.get("options", [])
        if not isinstance(raw_options, list):
            c.add(f"{path}.options", "must be a list")
            raw_options = []
        for j, opt in enumerate(raw_options):
            opath = f"{path}.options[{j}]"
            if not c.keys(opt, opath, _OPTION_KEYS):
                continue
            value = opt.get("value")
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
            ):
                c.add(f"{opath}.value", "must be a number, or null for a non-scored answer")
                value = None
            options.append(Option(value, c.text(opt, opath, "label_da"), c.text(opt, opath, "label_en")))
        scored = [o.value for o in options if o.value is not None]
        if len(scored) < 2:
            c.add(f"{path}.options", "needs at least two scored options")
        if len(set(scored)) != len(scored):
            c.add(f"{path}.options", "option values must be unique")
        elif scored != sorted(scored) and scored != sorted(scored, reverse=True):
            c.add(f"{path}.options", "scored options must be listed in ascending or descending order")
        if rid:
            response_scales[rid] = ResponseScale(rid, tuple(options), wording)

    items: list[Item] = []
    for i, it in enumerate(raw_items):
        path = f"items[{i}]"
        if not c.keys(it, path, _ITEM_KEYS):
            continue
        item_type = it.get("type")
        if "type" in it and item_type not in ITEM_TYPES:
            c.add(f"{path}.type", f"must be one of {', '.join(ITEM_TYPES)}")
        reversed_ = c.boolean(it, path, "reversed")
        rs_id = it.get("response_scale")
        if item_type == "text":
            if reversed_:
                c.add(f"{path}.reversed", "a text item cannot be reversed")
            if rs_id is not None:
                c.add(f"{path}.response_scale", "a text item has no response scale")
        elif item_type == "choice":
            if rs_id is None:
                c.add(f"{path}.response_scale", "a choice item needs a response scale")
            elif rs_id not in rs_index:
                c.add(f"{path}.response_scale", f"unknown response scale {rs_id!r}")
        scale_id = it.get("scale")
        if scale_id is not None and scale_id not in scale_index:
            c.add(f"{path}.scale", f"unknown scale {scale_id!r}")
        level = it.get("level")
        if level is not None and level not in LEVELS:
            c.add(f"{path}.level", f"must be one of {', '.join(LEVELS)}")
        notes_text = it.get("notes", "")
        if not isinstance(notes_text, str):
            c.add(f"{path}.notes", "must be text")
            notes_text = ""
        items.append(
            Item(
                id=c.identifier(it, path),
                type=item_type if item_type in ITEM_TYPES else "",
                text_da=c.text(it, path, "text_da"),
                text_en=c.text(it, path, "text_en"),
                response_scale=rs_id if isinstance(rs_id, str) else None,
                reversed=reversed_,
                scale=scale_id if isinstance(scale_id, str) else None,
                sensitive=c.boolean(it, path, "sensitive"),
                level=level if level in LEVELS else None,
                wording=c.wording(it, path),
                notes=notes_text,
            )
        )
    items_by_id = {it.id: it for it in items if it.id}

    scales: list[Scale] = []
    for i, sc in enumerate(raw_scales):
        path = f"scales[{i}]"
        if not c.keys(sc, path, _SCALE_KEYS):
            continue
        sid = c.identifier(sc, path)
        scoring = sc.get("scoring")
        if "scoring" in sc and scoring not in SCORING_RULES:
            c.add(f"{path}.scoring", f"must be one of {', '.join(SCORING_RULES)}")
        min_resp = sc.get("min_respondents")
        if min_resp is not None and (
            isinstance(min_resp, bool) or not isinstance(min_resp, int) or min_resp < DEFAULT_MIN_RESPONDENTS
        ):
            c.add(
                f"{path}.min_respondents",
                f"must be a whole number of at least {DEFAULT_MIN_RESPONDENTS} (thresholds are raised, never lowered)",
            )
            min_resp = None
        member_ids = sc.get("items", [])
        if not isinstance(member_ids, list) or not member_ids:
            c.add(f"{path}.items", "must be a non-empty list of item ids")
            member_ids = []
        if len(set(map(str, member_ids))) != len(member_ids):
            c.add(f"{path}.items", "lists an item twice")
        for j, member in enumerate(member_ids):
            mpath = f"{path}.items[{j}]"
            item = items_by_id.get(member) if isinstance(member, str) else None
            if item is None:
                c.add(mpath, f"unknown item {member!r}")
                continue
            if item.type == "text":
                c.add(mpath, f"text item {member!r} cannot be scored")
            if item.scale != sid:
                c.add(mpath, f"item {member!r} says it belongs to scale {item.scale!r}, not {sid!r}")
        members = [items_by_id[m] for m in member_ids if isinstance(m, str) and m in items_by_id]
        _check_values(c, path, scoring, members, response_scales)
        share = _check_share(c, path, sc, scoring, members, response_scales, min_resp)
        notes_text = sc.get("notes", "")
        source_text = sc.get("source", "")
        for key, value in (("notes", notes_text), ("source", source_text)):
            if not isinstance(value, str):
                c.add(f"{path}.{key}", "must be text")
        scales.append(
            Scale(
                id=sid,
                name_da=c.text(sc, path, "name_da"),
                name_en=c.text(sc, path, "name_en"),
                items=tuple(m for m in member_ids if isinstance(m, str)),
                scoring=scoring if scoring in SCORING_RULES else "",
                validated=c.boolean(sc, path, "validated"),
                min_respondents=min_resp,
                source=source_text if isinstance(source_text, str) else "",
                notes=notes_text if isinstance(notes_text, str) else "",
                share_at_or_above=share,
            )
        )
    for i, it in enumerate(items):
        if it.scale and it.scale in scale_index:
            members = raw_scales[scale_index[it.scale]].get("items", [])
            if isinstance(members, list) and it.id not in members:
                c.add(f"items[{i}].scale", f"scale {it.scale!r} does not list item {it.id!r}")

    if validated and scales and not any(s.validated for s in scales):
        c.add("validated", "an instrument marked validated needs at least one validated scale")
    if not validated:
        for i, s in enumerate(scales):
            if s.validated:
                c.add(f"scales[{i}].validated", "a scale cannot be validated in an instrument that is not")

    if c.problems:
        raise InstrumentError(source, c.problems)
    return Instrument(
        id=inst_id,
        version=version,
        name_da=data["name_da"],
        name_en=data["name_en"],
        source=data["source"],
        source_da=data["source_da"],
        licence=data["licence"],
        licence_da=data["licence_da"],
        validated=validated,
        notes=tuple(notes),
        response_scales=tuple(response_scales.values()),
        items=tuple(items),
        scales=tuple(scales),
    )


def _check_values(
    c: _Checker, path: str, scoring: Any, members: list[Item], response_scales: Mapping[str, ResponseScale]
) -> None:
    """The options of every item in a scale must map onto the values the scale's scoring rule expects."""
    ranges = set()
    for item in members:
        rs = response_scales.get(item.response_scale or "")
        if rs is None or rs.k < 2:
            continue
        values = rs.scored_values
        if scoring == "points_0_100":
            expected = tuple(100 * p / (rs.k - 1) for p in range(rs.k))
            if any(abs(v - e) > 1e-9 for v, e in zip(values, expected, strict=True)):
                shown = "/".join(f"{e:g}" for e in expected)
                c.add(
                    f"{path}.items",
                    f"item {item.id!r}: options of {rs.id!r} must map to {shown} for points_0_100 scoring",
                )
        ranges.add((values[0], values[-1]))
    if scoring == "mean" and len(ranges) > 1:
        c.add(f"{path}.items", "items of a mean-scored scale must share one value range")


def _check_share(
    c: _Checker,
    path: str,
    scale: dict,
    scoring: Any,
    members: list[Item],
    response_scales: Mapping[str, ResponseScale],
    min_respondents: int | None,
) -> float | None:
    """A scale's `share_at_or_above`: a number inside the scale's range, above its lowest value, on a scale that
    is shown only for SENSITIVE_MIN_RESPONDENTS or more (a share is a percentage, easier to read people off)."""
    if scale.get("share_at_or_above") is None:
        return None
    value = scale["share_at_or_above"]
    spath = f"{path}.share_at_or_above"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        c.add(spath, "must be a number, or null")
        return None
    if scoring == "points_0_100":
        low, high = 0.0, 100.0
    else:
        ranges = [
            (rs.scored_values[0], rs.scored_values[-1])
            for item in members
            if (rs := response_scales.get(item.response_scale or "")) is not None and rs.k >= 2
        ]
        if not ranges:
            return None
        low, high = min(r[0] for r in ranges), max(r[1] for r in ranges)
    if not low < value <= high:
        c.add(spath, f"must be above {low:g} and at most {high:g}, the scale's range")
    if (min_respondents or DEFAULT_MIN_RESPONDENTS) < SENSITIVE_MIN_RESPONDENTS:
        c.add(spath, f"a scale that reports a share needs min_respondents of at least {SENSITIVE_MIN_RESPONDENTS}")
    return float(value)


def load_instrument(path: str | Path) -> Instrument:
    """Load and validate one instrument file; raise `InstrumentError` listing every problem."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstrumentError(str(path), [Problem("", f"cannot read JSON: {exc}")]) from exc
    return parse_instrument(data, source=str(path), expected_name=path.name)


def load_all(directory: str | Path = DEFAULT_DIRECTORY) -> dict[tuple[str, int], Instrument]:
    """Every `*.json` instrument in `directory` by (id, version); the problems of all files in one error."""
    instruments: dict[tuple[str, int], Instrument] = {}
    problems: list[Problem] = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            inst = load_instrument(path)
        except InstrumentError as exc:
            problems.extend(Problem(f"{path.name}:{p.path}", p.message) for p in exc.problems)
            continue
        key = (inst.id, inst.version)
        if key in instruments:
            problems.append(Problem(path.name, f"duplicate instrument {inst.id!r} version {inst.version}"))
        instruments[key] = inst
    if problems:
        raise InstrumentError(str(directory), problems)
    return instruments


@cache
def _shipped() -> dict[tuple[str, int], Instrument]:
    return load_all(DEFAULT_DIRECTORY)


def get_instrument(instrument_id: str, version: int | None = None) -> Instrument:
    """A shipped instrument by id; the latest version unless `version` is given. KeyError if unknown."""
    versions = {v: inst for (i, v), inst in _shipped().items() if i == instrument_id}
    if not versions:
        raise KeyError(f"unknown instrument {instrument_id!r}")
    if version is None:
        return versions[max(versions)]
    if version not in versions:
        raise KeyError(f"instrument {instrument_id!r} has no version {version}")
    return versions[version]
