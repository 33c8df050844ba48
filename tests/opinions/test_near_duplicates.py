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
        ("Der mangler en fodboldbane ved skolen i byen", "Der mangler en fodbold bane ved skolen i byen"),  # compound
        ("De unge mangler voksen de stoler på", "De unge mangler voksne, de stoler på"),  # inflected
        ("De unge mangler voksne som de stoler på", "De unge mangler voksne, de stoler på."),  # "som" left out
        ("Jeg synes at klubben lukker for tidligt", "Jeg synes, klubben lukker for tidligt"),  # "at" left out
        ("Politiet burde komme oftere forbi hjørnet", "Politiet bør komme oftere forbi hjørnet"),  # one word
        ("Klubben bør være åben til kl 22 om aftenen", "Klubben bør være åben til kl. 22 om aftenen"),
        ("The young people really don't feel safe here", "The young people don't feel safe here"),
        # However the English negation is written.
        ("We cannot afford a new sports hall this year", "We can not afford a new sports hall this year"),
        ("We can't afford a new sports hall this year", "We cannot afford a new sports hall this year"),
        ("We cant afford a new sports hall this year", "We can't afford a new sports hall this year"),
        ("The council doesn't listen to the young people", "The council does not listen to the young people"),
        # However a thousand is written.
        ("Kommunen skal give 1.000 kr. til klubben hvert år", "Kommunen skal give 1000 kr. til klubben hvert år"),
        ("Kommunen skal give 1 000 kr. til klubben hvert år", "Kommunen skal give 1000 kr til klubben hvert år"),
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
        ("The young people don't feel safe on the corner", "The young people do feel safe on the corner"),
        ("Young people cannot get home by bus at night", "Young people can get home by bus at night"),
        # An ordinary word added or left out changes what is said.
        ("Kun de unge keder sig om aftenen i byen", "De unge keder sig om aftenen i byen"),
        ("De ældre er også utrygge ved hjørnet", "De ældre er utrygge ved hjørnet"),
        ("Alle de unge keder sig om aftenen i byen", "De unge keder sig om aftenen i byen"),
        # A number is never a typo.
        ("Kommunen bør bruge 100 kroner pr. ung om året", "Kommunen bør bruge 1000 kroner pr. ung om året"),
        ("Hallen bør være åben hver aften i 2026", "Hallen bør være åben hver aften i 2027"),
        ("Klubben bør holde åbent 1,5 time længere", "Klubben bør holde åbent 15 time længere"),
        # A word and its opposite, however alike the letters.
        ("De ældre føler sig trygge ved hjørnet", "De ældre føler sig utrygge ved hjørnet"),
        ("The old people feel safe at the corner", "The old people feel unsafe at the corner"),
        ("De unge trives i klubben om aftenen", "De unge vantrives i klubben om aftenen"),
        ("Fritidstilbuddene er meningsfulde for de unge", "Fritidstilbuddene er meningsløse for de unge"),
        # One letter in the right place makes another word.
        (
            "Kommunen skal bygge en ny indendørs legeplads i Vollsmose",
            "Kommunen skal bygge en ny udendørs legeplads i Vollsmose",
        ),
        (
            "The council should increase the budget for youth clubs",
            "The council should decrease the budget for youth clubs",
        ),
        (
            "The council should include the budget for youth clubs",
            "The council should exclude the budget for youth clubs",
        ),
        ("Kommunen skal hyre flere lærere til skolen", "Kommunen skal fyre flere lærere til skolen"),
        ("Vi har brug for mere politi i Gellerup om natten", "Vi har brug for mere politik i Gellerup om natten"),
        ("Borgerne i bydelen stemmer med kommunens plan", "Borgerne i bydelen stemmer mod kommunens plan"),
        ("The maximum age for the youth club is eighteen", "The minimum age for the youth club is eighteen"),
        # Numbers in words are numbers.
        ("Der skal være ti voksne i hallen hver fredag", "Der skal være to voksne i hallen hver fredag"),
        ("Der skal være ni voksne i hallen hver fredag", "Der skal være ti voksne i hallen hver fredag"),
        # A negation without its apostrophe is still a negation.
        ("We cant afford a new sports hall this year", "We can afford a new sports hall this year"),
        # "Nu" says when.
        ("Vi skal bygge en ny hal i Vollsmose nu", "Vi skal bygge en ny hal i Vollsmose"),
        # A negation moved past a quantifier changes its reach.
        (
            "Ikke alle kan lide den nye skolereform i vores kommune",
            "Alle kan ikke lide den nye skolereform i vores kommune",
        ),
        # A negation moved to another clause says something else.
        (
            "Bussen kører ikke kl 22, så de unge kan komme hjem",
            "Bussen kører kl 22, så de unge kan ikke komme hjem",
        ),
    ],
)
def test_a_negation_or_another_word_in_its_place_is_a_new_statement(new: str, existing: str) -> None:
    assert not says_the_same(normalise(new), normalise(existing))
    assert not says_the_same(normalise(existing), normalise(new))  # whichever came first


def test_different_statements_are_not_duplicates() -> None:
    assert not says_the_same(normalise("Der mangler lys på stien."), normalise("Hallen burde være åben."))
