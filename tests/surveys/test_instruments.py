"""Instrument files: every shipped one loads, and the loader names every problem in a broken one."""

import copy
import json
import re
from pathlib import Path

import pytest

from samskab.surveys.instruments import (
    DEFAULT_DIRECTORY,
    SENSITIVE_MIN_RESPONDENTS,
    InstrumentError,
    get_instrument,
    load_all,
    load_instrument,
    parse_instrument,
)

SHIPPED = sorted(DEFAULT_DIRECTORY.glob("*.json"))

EXTENT = [
    {"value": 100, "label_da": "I meget høj grad", "label_en": "To a very large extent"},
    {"value": 75, "label_da": "I høj grad", "label_en": "To a large extent"},
    {"value": 50, "label_da": "Delvist", "label_en": "Somewhat"},
    {"value": 25, "label_da": "I ringe grad", "label_en": "To a small extent"},
    {"value": 0, "label_da": "I meget ringe grad", "label_en": "To a very small extent"},
]
OWN = {"da": "own", "en": "own"}

MINIMAL = {
    "id": "test-instrument",
    "version": 2,
    "name_da": "Prøve",
    "name_en": "Test",
    "source": "Samskab tests",
    "source_da": "Samskabs tests",
    "licence": "AGPL-3.0-or-later",
    "licence_da": "AGPL-3.0-or-later",
    "validated": False,
    "notes": ["for tests"],
    "response_scales": [{"id": "extent", "options": EXTENT, "wording": OWN}],
    "items": [
        {
            "id": "Q1",
            "type": "choice",
            "text_da": "Stoler I på hinanden?",
            "text_en": "Do you trust each other?",
            "response_scale": "extent",
            "reversed": False,
            "scale": "trust",
            "sensitive": False,
            "wording": OWN,
        },
        {
            "id": "Q2",
            "type": "choice",
            "text_da": "Tilbageholder I information?",
            "text_en": "Do you withhold information?",
            "response_scale": "extent",
            "reversed": True,
            "scale": "trust",
            "sensitive": True,
            "wording": OWN,
        },
        {
            "id": "FT",
            "type": "text",
            "text_da": "Hvad mere?",
            "text_en": "What else?",
            "sensitive": False,
            "wording": OWN,
        },
    ],
    "scales": [
        {
            "id": "trust",
            "name_da": "Tillid",
            "name_en": "Trust",
            "items": ["Q1", "Q2"],
            "scoring": "points_0_100",
            "validated": False,
            "min_respondents": 8,
        }
    ],
}


def problems_of(data, **kwargs):
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(data, **kwargs)
    return {(p.path, p.message) for p in caught.value.problems}


def broken(change):
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


# --- shipped instruments ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_instrument_loads_and_is_honest_about_its_wording(path: Path) -> None:
    instrument = load_instrument(path)
    assert path.name == f"{instrument.id}.v{instrument.version}.json"
    assert instrument.items and instrument.scales
    for item in instrument.items:
        assert item.text_da.strip() and item.text_en.strip()
        assert set(item.wording) == {"da", "en"}
    # No shipped instrument has had its Danish wording checked against the source in full; each says so.
    if not instrument.wording_verified("da"):
        assert any("not verified" in note.lower() or "not validated" in note.lower() for note in instrument.notes)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_source_is_cited_in_danish_on_danish_pages(path: Path) -> None:
    # The citations' own titles stay as published; the words around them are Danish ("Begrebet:", "bilag 1").
    instrument = load_instrument(path)
    assert instrument.source_da != instrument.source or not re.search(r"[a-z]", instrument.source)
    english = r"\b(Concept|Trust and justice|Cooperation|Annex|licence version|items?|inspired by)\b"
    assert not re.search(english, instrument.source_da), instrument.source_da


def test_the_four_instruments_of_the_brief_are_shipped() -> None:
    shipped = load_all()
    assert {i for i, _ in shipped} >= {
        "workplace-social-capital",
        "copsoq3-selected",
        "community-trust",
        "partnership-experience",
    }


def test_samskabs_own_instrument_is_marked_own_and_not_validated() -> None:
    own = get_instrument("partnership-experience")
    assert not own.validated
    assert not any(s.validated for s in own.scales)
    assert all(item.wording == {"da": "own", "en": "own"} for item in own.items)
    assert any(item.type == "text" for item in own.items)


def test_copsoq_items_are_unaltered_and_the_danish_is_flagged() -> None:
    copsoq = get_instrument("copsoq3-selected")
    assert copsoq.validated and "COPSOQ" in copsoq.name_en
    # English as transcribed from Annex 1 (research note §1.4), reversed items as coded "2R" there.
    assert copsoq.item("TMX2").text_en == "Can the employees trust the information that comes from the management?"
    assert copsoq.item("TM3").reversed and not copsoq.item("TM1").reversed
    assert {s.id for s in copsoq.scales} == {"IN", "PR", "MW", "TM", "JU", "QL"}
    assert all(item.wording["da"] != "verified" for item in copsoq.items)
    assert copsoq.item("PR1").wording["da"] == "draft"  # not in the research notes at all
    # COPSOQ: 0/25/50/75/100 on five points.
    assert copsoq.response_scale("copsoq_extent").scored_values == (0, 25, 50, 75, 100)


def test_verified_danish_wording_is_marked_verified() -> None:
    wsc = get_instrument("workplace-social-capital")
    bonding = wsc.items_of("cooperation_within")
    assert bonding[0].text_da == "I vores gruppe hjælper vi kolleger, der har for meget at lave"
    assert all(item.wording["da"] == "verified" for item in bonding)


def test_community_trust_uses_0_to_10_and_small_reports_need_10() -> None:
    trust = get_instrument("community-trust")
    assert trust.response_scale("ess_trust").scored_values == tuple(range(11))
    assert trust.min_respondents(scale="generalised_trust") == 10
    assert trust.min_respondents(scale="ess_social_trust") == 5
    # The local-government items are Samskab's adaptation and not validated.
    assert not trust.scale("trust_local_council").validated


def test_get_instrument_picks_the_latest_version_and_knows_no_others() -> None:
    assert get_instrument("copsoq3-selected").version == 1
    assert get_instrument("copsoq3-selected", 1).version == 1
    with pytest.raises(KeyError):
        get_instrument("copsoq3-selected", 9)
    with pytest.raises(KeyError):
        get_instrument("no-such-instrument")


def test_at_level_keeps_core_and_middle_items_only() -> None:
    middle = get_instrument("copsoq3-selected").at_level("MIDDLE")
    # Influence: INX1 (CORE), IN3, IN4, IN6 (MIDDLE); IN2 and IN5 are LONG.
    assert middle.scale("IN").items == ("INX1", "IN3", "IN4", "IN6")
    assert "IN2" not in {i.id for i in middle.items}
    core = get_instrument("copsoq3-selected").at_level("CORE")
    assert core.scale("JU").items == ("JU1", "JU4")


def test_thresholds_for_scales_and_sensitive_items() -> None:
    instrument = parse_instrument(MINIMAL)
    assert instrument.min_respondents(scale="trust") == 8
    assert instrument.min_respondents(item="Q1") == 8
    assert instrument.min_respondents(item="Q2") == max(8, SENSITIVE_MIN_RESPONDENTS)
    # Free text is sensitive whatever its file says ("sensitive": false here): own words give people away.
    assert instrument.min_respondents(item="FT") == SENSITIVE_MIN_RESPONDENTS
    assert instrument.item("FT").is_sensitive and not instrument.item("Q1").is_sensitive


def test_lengths_only_where_every_item_has_a_level_and_no_scale_is_lost() -> None:
    assert get_instrument("copsoq3-selected").levels == ("CORE", "MIDDLE", "LONG")
    # The three diamonds mix COPSOQ items (tagged) with NFA's (untagged); at CORE horizontal trust would vanish.
    combined = get_instrument("workplace-social-capital")
    assert combined.levels == () and "TE" not in {s.id for s in combined.at_level("CORE").scales}
    assert get_instrument("community-trust").levels == () and parse_instrument(MINIMAL).levels == ()

    def all_long(d):
        for item in d["items"][:2]:
            item["level"] = "LONG"
        del d["items"][2]

    assert parse_instrument(broken(all_long)).levels == ("LONG",)  # shorter, the trust scale would be gone


def test_a_share_needs_a_cut_off_in_range_and_the_sensitive_threshold() -> None:
    trust = get_instrument("community-trust").scale("generalised_trust")
    assert trust.share_at_or_above == 6 and trust.min_respondents == SENSITIVE_MIN_RESPONDENTS

    def share(value, min_respondents=10):
        def change(d):
            d["scales"][0]["share_at_or_above"] = value
            d["scales"][0]["min_respondents"] = min_respondents

        return change

    assert parse_instrument(broken(share(75))).scale("trust").share_at_or_above == 75
    path = "scales[0].share_at_or_above"
    assert problems_of(broken(share(0))) == {(path, "must be above 0 and at most 100, the scale's range")}
    assert problems_of(broken(share("6"))) == {(path, "must be a number, or null")}
    assert problems_of(broken(share(75, 8))) == {
        (path, f"a scale that reports a share needs min_respondents of at least {SENSITIVE_MIN_RESPONDENTS}")
    }


# --- loader errors ----------------------------------------------------------------------------------------


def test_minimal_instrument_is_valid() -> None:
    instrument = parse_instrument(MINIMAL)
    assert instrument.items_of("trust")[1].reversed


def test_unknown_scale_and_response_scale_references() -> None:
    def change(d):
        d["items"][0]["scale"] = "trsut"
        d["items"][1]["response_scale"] = "extnet"

    found = problems_of(broken(change))
    assert ("items[0].scale", "unknown scale 'trsut'") in found
    assert ("items[1].response_scale", "unknown response scale 'extnet'") in found
    assert ("scales[0].items[0]", "item 'Q1' says it belongs to scale 'trsut', not 'trust'") in found


def test_duplicate_item_ids() -> None:
    found = problems_of(broken(lambda d: d["items"][1].update(id="Q1")))
    assert ("items[1].id", "duplicate item id 'Q1' (first at items[0])") in found


def test_reversed_flag_on_a_text_item() -> None:
    found = problems_of(broken(lambda d: d["items"][2].update(reversed=True)))
    assert found == {("items[2].reversed", "a text item cannot be reversed")}


def test_a_text_item_cannot_be_scored() -> None:
    def change(d):
        d["items"][2]["scale"] = "trust"
        d["scales"][0]["items"].append("FT")

    assert ("scales[0].items[2]", "text item 'FT' cannot be scored") in problems_of(broken(change))


def test_options_that_do_not_map_to_0_25_50_75_100() -> None:
    def change(d):
        for value, option in zip([5, 4, 3, 2, 1], d["response_scales"][0]["options"], strict=True):
            option["value"] = value

    found = problems_of(broken(change))
    message = "options of 'extent' must map to 0/25/50/75/100 for points_0_100 scoring"
    assert ("scales[0].items", f"item 'Q1': {message}") in found
    assert ("scales[0].items", f"item 'Q2': {message}") in found


def test_option_values_unique_and_ordered() -> None:
    def duplicate(d):
        d["response_scales"][0]["options"][1]["value"] = 100

    def shuffled(d):
        options = d["response_scales"][0]["options"]
        options[0], options[2] = options[2], options[0]

    assert ("response_scales[0].options", "option values must be unique") in problems_of(broken(duplicate))
    assert (
        "response_scales[0].options",
        "scored options must be listed in ascending or descending order",
    ) in problems_of(broken(shuffled))


def test_missing_danish_text_anywhere() -> None:
    def change(d):
        d["items"][0]["text_da"] = "  "
        del d["items"][1]["text_da"]
        d["response_scales"][0]["options"][2]["label_da"] = ""
        d["scales"][0]["name_da"] = ""
        del d["source_da"]

    found = problems_of(broken(change))
    assert found == {
        ("source_da", "missing Danish text"),
        ("items[0].text_da", "missing Danish text"),
        ("items[1].text_da", "missing Danish text"),
        ("response_scales[0].options[2].label_da", "missing Danish text"),
        ("scales[0].name_da", "missing Danish text"),
    }


def test_scale_and_item_must_agree_on_membership() -> None:
    found = problems_of(broken(lambda d: d["scales"][0].update(items=["Q1"])))
    assert found == {("items[1].scale", "scale 'trust' does not list item 'Q2'")}


def test_thresholds_are_raised_never_lowered() -> None:
    found = problems_of(broken(lambda d: d["scales"][0].update(min_respondents=3)))
    assert found == {
        (
            "scales[0].min_respondents",
            "must be a whole number of at least 5 (thresholds are raised, never lowered)",
        )
    }


def test_mean_scale_items_share_one_range() -> None:
    def change(d):
        d["scales"][0]["scoring"] = "mean"
        d["response_scales"].append(
            {
                "id": "zero_ten",
                "wording": OWN,
                "options": [{"value": v, "label_da": str(v), "label_en": str(v)} for v in range(11)],
            }
        )
        d["items"][1]["response_scale"] = "zero_ten"

    assert problems_of(broken(change)) == {
        ("scales[0].items", "items of a mean-scored scale must share one value range")
    }


def test_typos_and_wrong_types_are_reported() -> None:
    def change(d):
        d["items"][0]["reverse"] = True  # typo for "reversed"
        d["items"][1]["sensitive"] = "yes"
        d["items"][1]["wording"] = {"da": "checked", "en": "own"}
        d["version"] = 0

    found = problems_of(broken(change))
    assert found == {
        ("items[0].reverse", "unknown field"),
        ("items[1].sensitive", "must be true or false"),
        ("items[1].wording.da", "must be one of verified, secondary, recalled, draft, own"),
        ("version", "must be a positive integer"),
    }


def test_an_unvalidated_instrument_cannot_claim_validated_scales() -> None:
    found = problems_of(broken(lambda d: d["scales"][0].update(validated=True)))
    assert found == {("scales[0].validated", "a scale cannot be validated in an instrument that is not")}


def test_every_problem_is_reported_at_once() -> None:
    def change(d):
        d["items"][0]["scale"] = "nope"
        d["items"][1]["id"] = "Q1"
        d["items"][2]["reversed"] = True
        d["items"][2]["text_da"] = ""

    with pytest.raises(InstrumentError) as caught:
        parse_instrument(broken(change), source="x.json")
    assert len(caught.value.problems) >= 4
    text = str(caught.value)
    assert text.startswith("x.json: ")
    assert "items[2].reversed: a text item cannot be reversed" in text
    assert "items[2].text_da: missing Danish text" in text


def test_file_name_must_match_id_and_version(tmp_path: Path) -> None:
    path = tmp_path / "test-instrument.v1.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert [str(p) for p in caught.value.problems] == [
        "<file>: file name should be test-instrument.v2.json for id 'test-instrument' version 2"
    ]


def test_invalid_json_and_load_all_reports_each_file(tmp_path: Path) -> None:
    (tmp_path / "test-instrument.v2.json").write_text(json.dumps(MINIMAL), encoding="utf-8")
    (tmp_path / "bad.v1.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "other.v1.json").write_text(
        json.dumps({**MINIMAL, "id": "other", "version": 1, "name_da": ""}), encoding="utf-8"
    )
    with pytest.raises(InstrumentError) as caught:
        load_all(tmp_path)
    paths = [p.path for p in caught.value.problems]
    assert paths == ["bad.v1.json:", "other.v1.json:name_da"]
    assert caught.value.problems[0].message.startswith("cannot read JSON")
