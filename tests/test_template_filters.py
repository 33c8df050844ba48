"""The filters every template has: counts grouped as people read them, percentages kept on one line."""

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_a_count_is_grouped_in_the_reader_s_notation_and_nothing_else_is() -> None:
    with translation.override("da"):
        assert render("{{ n|grouped }} stemmer", n=225524) == "225.524 stemmer"
        assert render("{{ n|grouped }}", n=999) == "999"
        assert render("{{ n|grouped }}|{{ none|grouped }}|{{ text|grouped }}", n=True, none=None, text="7") == "True||7"
        assert render("{{ n }}", n=225524) == "225524"  # site-wide, numbers stay as they are (ids, years)
        assert render("{{ n|grouped }}", n=2500.5) == "2.500,5"
    with translation.override("en"):
        assert render("{{ n|grouped }}", n=1250000) == "1,250,000"


def test_a_percentage_keeps_its_sign_on_its_line() -> None:
    assert render("{{ n|percent }}", n=33) == '<span class="samskab-nowrap">33 %</span>'


def test_an_email_subject_is_cut_between_words_and_loses_its_full_stop() -> None:
    from samskab.lib.template_filters import subject

    sentence = "Nørreby Boldklub foreslår: Klubhuset åbner om fredagen, og svar senest den 9. december 2026 19:00."
    assert subject(sentence) == sentence[:-1]
    cut = subject(sentence, 60)
    assert cut == "Nørreby Boldklub foreslår: Klubhuset åbner om fredagen, og…"
    assert len(cut) <= 60
    assert subject("Ét" + "a" * 200, 20) == "Ét" + "a" * 17 + "…"  # one long word: cut in it, as nothing else can


def test_a_table_cell_shows_a_date_as_people_read_it_and_nothing_as_a_dash() -> None:
    from datetime import date

    with translation.override("da"):
        assert render("{{ d|figure }}|{{ n|figure }}|{{ none|figure }}", d=date(2026, 12, 1), n=2500, none=None) == (
            "1. december 2026|2.500|—"
        )
