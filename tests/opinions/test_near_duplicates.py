"""When a new statement repeats an existing one.

The same statement: typos, filler words and intensifiers ("alt for"), "aa" for "å", "i" or "på" before a place,
an adverbial put first ("Om aftenen er der ..."). A new statement: a negation, another quantity or number, another
subject, the same words in an order that changes who does what. Refusing a new point is worse than letting a
duplicate in, so every pair is checked both ways round: whichever was written first.
"""

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from samskab.accounts.services import create_api_token
from samskab.opinions import services
from samskab.opinions.models import Conversation, Statement
from samskab.opinions.similarity import normalise, says_the_same
from samskab.partnerships.models import Partnership

from ..conftest import Persona

EVENINGS = "Der er for få voksne i gaderne om aftenen."


def same(new: str, existing: str) -> bool:
    return says_the_same(normalise(new), normalise(existing))


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        # The review's four, next to "Der er for få voksne i gaderne om aftenen.", and together.
        ("Der er alt for få voksne i gaderne om aftenen.", EVENINGS),  # an intensifier
        ("Der er for få voksne på gaderne om aftenen.", EVENINGS),  # "i" or "på" before a place
        ("Om aftenen er der for få voksne i gaderne.", EVENINGS),  # the adverbial put first, verb and subject turned
        ("Der er for faa voksne i gaderne om aftenen.", EVENINGS),  # written without å
        ("Om aftenen er der alt for faa voksne paa gaderne", EVENINGS),
        ("Der er altfor få voksne i gaderne om aftenen", EVENINGS),
        ("Der er virkelig for få voksne i gaderne om aftenen", EVENINGS),
        ("Der er jo bare for få voksne i gaderne om aftenen", EVENINGS),
        ("der er for faa voksne i gaderne om aftnen", EVENINGS),  # and a typo
        # Written on a keyboard without æ, ø and å.
        ("Paedagogerne i klubben har for lidt tid til de unge", "Pædagogerne i klubben har for lidt tid til de unge"),
        ("Der mangler groenne omraader i Vollsmose", "Der mangler grønne områder i Vollsmose"),
        # An adverbial or a clause put first, as Danish does.
        ("I weekenden keder de unge sig i Gellerup", "De unge keder sig i Gellerup i weekenden"),
        (
            "Når det bliver mørkt, er der for få voksne på pladsen",
            "Der er for få voksne på pladsen, når det bliver mørkt",
        ),
        ("Nu er der for få voksne på stationen", "Der er for få voksne på stationen nu"),
        ("Uden voksne er gaderne utrygge om aftenen", "Gaderne er utrygge om aftenen uden voksne"),
        ("Om aftenen kan de unge ikke komme hjem med bussen", "De unge kan ikke komme hjem med bussen om aftenen"),
        ("Efter skoletid mangler de unge et sted at være", "De unge mangler et sted at være efter skoletid"),
        ("In the evening the young people feel unsafe", "The young people feel unsafe in the evening"),
        ("De ældre føler sig utrygge på stationen", "De ældre føler sig utrygge i stationen"),
        # As before: punctuation, typos, fillers, a compound in two words, a word moved a place or two.
        ("Der mangler voksne på hjørnet om aftenen!", "der mangler  voksne på hjørnet om aftenen."),
        ("Der mangler voksne på hjørnet om aftnen", "Der mangler voksne på hjørnet om aftenen"),
        ("Der mangler altså voksne på hjørnet om aftenen", "Der mangler voksne på hjørnet om aftenen"),
        (
            "Bussen kører ikke kl 22, så de unge ikke kan komme hjem",  # the negation moved, not added
            "Bussen kører ikke kl. 22, så de unge kan ikke komme hjem",
        ),
        ("Der mangler en fodboldbane ved skolen i byen", "Der mangler en fodbold bane ved skolen i byen"),
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
def test_the_same_statement_in_other_words_or_order_is_a_duplicate(new: str, existing: str) -> None:
    assert same(new, existing)
    assert same(existing, new)


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        # A negation, however it is put, and wherever the adverbial stands.
        ("Der er ikke for få voksne i gaderne om aftenen.", EVENINGS),
        ("Der er aldrig for få voksne i gaderne om aftenen.", EVENINGS),
        ("Der er ingen voksne i gaderne om aftenen.", EVENINGS),
        ("Om aftenen er der ikke for få voksne i gaderne.", EVENINGS),
        ("Der er naeppe for faa voksne i gaderne om aftenen.", EVENINGS),
        ("Der mangler ikke voksne på hjørnet om aftenen", "Der mangler voksne på hjørnet om aftenen"),
        ("Ingen unge keder sig om aftenen i byen", "Unge keder sig om aftenen i byen"),
        # The opposite quantity by one word, and more or fewer.
        ("Der er for mange voksne i gaderne om aftenen.", EVENINGS),
        ("Der er alt for mange voksne på gaderne om aftenen.", EVENINGS),
        ("De unge har brug for færre steder at være", "De unge har brug for flere steder at være"),
        ("Der skal være flere voksne på pladsen om aftenen", "Der skal være færre voksne på pladsen om aftenen"),
        ("Der er 5 voksne i gaderne om aftenen.", EVENINGS),
        # Another subject, time or place, also put first.
        ("Der er for få unge i gaderne om aftenen.", EVENINGS),
        ("Der er for få ældre i gaderne om aftenen.", EVENINGS),
        ("Om morgenen er der for få voksne i gaderne.", EVENINGS),
        ("Der er for få voksne i skolerne om aftenen.", EVENINGS),
        ("Om vinteren er der for lidt lys på stien", "Der er for lidt lys på stien om sommeren"),
        ("Der mangler voksne om morgenen", "Der mangler voksne om aftenen"),
        # A word added or left out.
        ("Der er for få voksne i gaderne.", EVENINGS),
        ("Der er for få voksne i gaderne om aftenen i weekenden.", EVENINGS),
        ("Der er kun for få voksne i gaderne om aftenen.", EVENINGS),
        ("Kun de unge keder sig om aftenen i byen", "De unge keder sig om aftenen i byen"),
        ("De ældre er også utrygge ved hjørnet", "De ældre er utrygge ved hjørnet"),
        ("Alle de unge keder sig om aftenen i byen", "De unge keder sig om aftenen i byen"),
        ("Vi skal bygge en ny hal i Vollsmose nu", "Vi skal bygge en ny hal i Vollsmose"),
        # "alt" is everything, where it is not "alt for få".
        ("Kommunen gør alt for de unge i byen", "Kommunen gør for de unge i byen"),
        # The same words, but who does what has changed: only an adverbial is ever put first.
        ("Unge hjælper ældre i byen hver dag", "Ældre hjælper unge i byen hver dag"),
        ("Kommunen skal lytte mere til borgerne", "Borgerne skal lytte mere til kommunen"),
        ("Der er flere unge end ældre i klubben", "Der er flere ældre end unge i klubben"),
        # A negation and a quantifier, or a focus word, that trade places change what is said.
        ("I alle klubber er der ikke voksne om aftenen", "Der er ikke voksne om aftenen i alle klubber"),
        (
            "Ikke alle kan lide den nye skolereform i vores kommune",
            "Alle kan ikke lide den nye skolereform i vores kommune",
        ),
        ("Der er kun voksne om aftenen i klubben", "Der er voksne kun om aftenen i klubben"),
        ("Også de unge mangler et sted at være", "De unge mangler også et sted at være"),
        (
            "Bussen kører ikke kl 22, så de unge kan komme hjem",  # a negation moved to another clause
            "Bussen kører kl 22, så de unge kan ikke komme hjem",
        ),
        (
            "Hvis kommunen betaler, vil foreningen ikke hjælpe",
            "Foreningen vil hjælpe, hvis kommunen ikke betaler",
        ),
        # Where "i" and "på" say different things.
        ("Kommunen skal bygge en hal i stedet", "Kommunen skal bygge en hal på stedet"),
        ("Cyklerne holder i vejen ved skolen", "Cyklerne holder på vejen ved skolen"),
        # A number is never a typo.
        ("Klubben bør have åbent til kl. 23", "Klubben bør have åbent til kl. 22"),
        ("Kommunen bør bruge 100 kroner pr. ung om året", "Kommunen bør bruge 1000 kroner pr. ung om året"),
        ("Hallen bør være åben hver aften i 2026", "Hallen bør være åben hver aften i 2027"),
        ("Klubben bør holde åbent 1,5 time længere", "Klubben bør holde åbent 15 time længere"),
        ("Der skal være ti voksne i hallen hver fredag", "Der skal være to voksne i hallen hver fredag"),
        ("Der skal være ni voksne i hallen hver fredag", "Der skal være ti voksne i hallen hver fredag"),
        # A word and its opposite, however alike the letters; one letter in the right place makes another word.
        ("De ældre føler sig trygge ved hjørnet", "De ældre føler sig utrygge ved hjørnet"),
        ("De unge trives i klubben om aftenen", "De unge vantrives i klubben om aftenen"),
        ("Fritidstilbuddene er meningsfulde for de unge", "Fritidstilbuddene er meningsløse for de unge"),
        (
            "Kommunen skal bygge en ny indendørs legeplads i Vollsmose",
            "Kommunen skal bygge en ny udendørs legeplads i Vollsmose",
        ),
        ("Kommunen skal hyre flere lærere til skolen", "Kommunen skal fyre flere lærere til skolen"),
        ("Vi har brug for mere politi i Gellerup om natten", "Vi har brug for mere politik i Gellerup om natten"),
        ("Borgerne i bydelen stemmer med kommunens plan", "Borgerne i bydelen stemmer mod kommunens plan"),
        # English as before.
        ("There are never enough adults on the corner", "There are enough adults on the corner"),
        ("The young people don't feel safe on the corner", "The young people do feel safe on the corner"),
        ("Young people cannot get home by bus at night", "Young people can get home by bus at night"),
        ("The old people feel safe at the corner", "The old people feel unsafe at the corner"),
        (
            "The council should increase the budget for youth clubs",
            "The council should decrease the budget for youth clubs",
        ),
        (
            "The council should include the budget for youth clubs",
            "The council should exclude the budget for youth clubs",
        ),
        ("The maximum age for the youth club is eighteen", "The minimum age for the youth club is eighteen"),
        ("We cant afford a new sports hall this year", "We can afford a new sports hall this year"),
        ("Der mangler lys på stien.", "Hallen burde være åben."),
    ],
)
def test_a_statement_that_means_something_else_is_new(new: str, existing: str) -> None:
    assert not same(new, existing)
    assert not same(existing, new)


def test_the_comparison_imports_no_django() -> None:
    module = Path(services.__file__).with_name("similarity.py")
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] == "django"}


@pytest.fixture
def evenings(partnership: Partnership, personas: dict[str, Persona]) -> Conversation:
    fie = personas["fie"]
    assert fie.actor is not None
    return services.start_conversation(
        user=fie.user,
        actor=fie.actor,
        partnership=partnership,
        question="Hvad er problemet med gaderne om aftenen?",
        seed_statements=[EVENINGS, "Hallen burde være åben fredag aften."],
        allow_anonymous=True,
    )


def test_mette_writing_the_seed_again_inverted_and_without_å_is_sent_to_vote_on_it(
    evenings: Conversation, personas: dict[str, Persona]
) -> None:
    client = personas["mette"].client()
    typed = "Om aftenen er der alt for faa voksne paa gaderne!"
    html = client.post(reverse("opinions:add_statement", args=[evenings.pk]), {"text": typed}).content.decode()
    assert "Der findes allerede et udsagn, der siger næsten det samme." in html
    existing = evenings.statements.get(text=EVENINGS)
    link = f"{evenings.get_absolute_url()}?udsagn={existing.pk}#vote-card"
    assert f'<a href="{link}">Tag stilling til det i stedet</a>' in html
    assert typed in html  # what she typed is kept
    assert evenings.statements.count() == 2


def test_lars_saying_the_opposite_through_the_api_is_a_new_statement(
    evenings: Conversation, personas: dict[str, Persona]
) -> None:
    _token, key = create_api_token(user=personas["lars"].user, label="test")
    url = f"/api/v1/conversations/{evenings.pk}/statements"
    for text in ("Der er ikke for få voksne i gaderne om aftenen.", "Om aftenen er der for mange voksne i gaderne."):
        sent = Client().post(
            url, {"text": text}, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
        )
        assert sent.status_code == 201, sent.content
        assert sent.json()["text"] == text
    inverted = Client().post(
        url,
        {"text": "Om aftenen er der for få voksne i gaderne."},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert inverted.status_code == 409
    assert inverted.json()["existing"]["id"] == Statement.objects.get(conversation=evenings, text=EVENINGS).pk
    assert evenings.statements.count() == 4
