"""The directory finds actors by what they need, not only by what they offer: Jens's shop, with student jobs to give,
looks for the associations that need them; on the page and in the API, and a need kind that does not exist is
refused rather than ignored."""

import pytest
from django.test import Client
from django.urls import reverse

from samskab.actors.models import Need, Resource

from .conftest import Persona

pytestmark = pytest.mark.django_db


def test_the_directory_finds_those_who_need_a_kind_of_resource(
    personas: dict[str, Persona],
) -> None:
    lars, nora, fie = personas["lars"].actor, personas["nora"].actor, personas["fie"].actor
    assert lars is not None and nora is not None and fie is not None
    Need.objects.create(actor=lars, kind="jobs", description="Fritidsjob til de ældste juniorer")
    Need.objects.create(actor=nora, kind="funding", description="Penge til nye højbede")
    Resource.objects.create(actor=fie, kind="jobs", title="Praktikpladser")  # offers jobs, needs none
    page = Client().get(reverse("actors:directory"), {"need_kind": "jobs"}).content.decode()
    assert "1 aktør fundet" in page and lars.name in page and fie.name not in page and nora.name not in page
    assert "Har brug for" in page  # the filter, in Danish
    assert "<strong>Har brug for:</strong> Fritidsjob til de ældste juniorer" in page  # why the club was found
    api = Client().get("/api/v1/actors/", {"need_kind": "funding"}).json()
    assert [a["name"] for a in api["items"]] == [nora.name]
    # Combined with the other filters, and with words.
    both = Client().get(reverse("actors:directory"), {"need_kind": "jobs", "sector": "association"}).content.decode()
    assert lars.name in both
    assert (
        "0 aktører fundet"
        in Client().get(reverse("actors:directory"), {"need_kind": "jobs", "q": "have"}).content.decode()
    )

    refused = Client().get(reverse("actors:directory"), {"need_kind": "kage"}).content.decode()
    assert "Der er et problem" in refused and "aktør fundet" not in refused and "aktører fundet" not in refused
    assert Client().get("/api/v1/actors/", {"need_kind": "kage"}).status_code == 422
