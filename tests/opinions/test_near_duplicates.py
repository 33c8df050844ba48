"""When a new statement repeats an existing one: typos and filler words do; a negation or another word does not."""

import pytest

from samskab.opinions.services import normalise, says_the_same


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        ("Der mangler voksne på hjørnet om aftenen!", "der mangler  voksne på hjørnet om aftenen."),
        ("Der mangler voksne på hjørnet om aftnen", "Der mangler voksne på hjørnet om aftenen"),  # a typo
        ("Der mangler altså voksne på hjørnet om aftenen", "Der mangler voksne på hjørnet om aftenen"),  # filler
        # The negation moved, not added: the same statement.
        (
            "Bussen kører ikke kl 22, så de unge ikke kan komme hjem",
            "Bussen kører ikke kl. 22, så de unge kan ikke komme hjem",
        ),
    ],
)
def test_the_same_words_with_typos_or_fillers_are_a_duplicate(new: str, existing: str) -> None:
    assert says_the_same(normalise(new), normalise(existing))


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        ("Der mangler ikke voksne på hjørnet om aftenen", "Der mangler voksne på hjørnet om aftenen"),
        ("Ingen unge keder sig om aftenen i byen", "Unge keder sig om aftenen i byen"),
        ("Der mangler voksne om morgenen", "Der mangler voksne om aftenen"),
        ("De unge har brug for færre steder at være", "De unge har brug for flere steder at være"),
        ("Klubben bør have åbent til kl. 23", "Klubben bør have åbent til kl. 22"),
        ("There are never enough adults on the corner", "There are enough adults on the corner"),
    ],
)
def test_a_negation_or_another_word_in_its_place_is_a_new_statement(new: str, existing: str) -> None:
    assert not says_the_same(normalise(new), normalise(existing))
    assert not says_the_same(normalise(existing), normalise(new))  # whichever came first


def test_different_statements_are_not_duplicates() -> None:
    assert not says_the_same(normalise("Der mangler lys på stien."), normalise("Hallen burde være åben."))
