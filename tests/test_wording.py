"""The Danish wording as a whole: one style of quotation marks, and every message translated."""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "samskab" / "locale" / "da" / "LC_MESSAGES" / "django.po"


def test_the_danish_catalogue_is_whole_and_quotes_in_one_style() -> None:
    """Every message has its Danish, none is left fuzzy, and quotations are set “…” throughout, as the English
    source sets them: not „…“ in one message and “…” in the next."""
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries()
    texts = [entry.msgstr for entry in catalogue] + [s for entry in catalogue for s in entry.msgstr_plural.values()]
    assert [text for text in texts if "„" in text or "»" in text] == []
