"""Addresses to coordinates through GSearch, against a real HTTP server on 127.0.0.1 (no network needed).

Mette's register has addresses but no coordinates: the dry run looks them up once, warns about the ones not
found, and the import itself uses what the dry run found. When the service is down she gets one warning and
the actors are imported without a position.
"""

import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samskab.actors import geocoding
from samskab.actors.geocoding import GeocoderUnavailable, GSearchGeocoder, Point
from samskab.actors.models import Actor, ActorImport

from .conftest import Persona

ANSWERS: dict[str, object] = {
    "Vollsmosevej 1, 5240 Odense NØ": [
        {
            "id": "0a3f50a0-0000-0000-0000-000000000000",
            "visningstekst": "Vollsmosevej 1, 5240 Odense NØ",
            "geometri": {"type": "MultiPoint", "coordinates": [[10.4453, 55.4051]]},
            "vejpunkt_geometri": {"type": "MultiPoint", "coordinates": [[10.4450, 55.4050]]},
        }
    ],
    "Lat først 2": [{"geometry": {"type": "Point", "coordinates": [55.38, 10.38]}}],
    "UTM 3": [{"geometri": {"type": "MultiPoint", "coordinates": [[587000.0, 6139000.0]]}}],
    "Findes ikke 99": [],
}


class GSearchHandler(BaseHTTPRequestHandler):
    requests: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.requests.append(query)
        q = query.get("q", [""])[0]
        if q == "Langsom 1":
            time.sleep(1)
        if q == "Fejl 500":
            self.send_response(500)
            self.end_headers()
            return
        body = b"<html>not json</html>" if q == "Ikke JSON" else json.dumps(ANSWERS.get(q, [])).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except BrokenPipeError:
            pass  # the client gave up waiting (the timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def gsearch() -> Iterator[str]:
    """The URL of a canned GSearch on 127.0.0.1."""
    GSearchHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), GSearchHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rest/gsearch/v2.0/adresse"
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/adresse"


def test_an_address_is_found_in_wgs84(gsearch: str) -> None:
    geocoder = GSearchGeocoder(url=gsearch, token="hemmelig")

    assert geocoder.geocode("Vollsmosevej 1, 5240 Odense NØ") == Point(latitude=55.4051, longitude=10.4453)

    (query,) = GSearchHandler.requests
    assert query == {"q": ["Vollsmosevej 1, 5240 Odense NØ"], "limit": ["1"], "srid": ["4326"], "token": ["hemmelig"]}


def test_answers_are_read_defensively(gsearch: str) -> None:
    geocoder = GSearchGeocoder(url=gsearch, token="t")

    assert geocoder.geocode("Lat først 2") == Point(latitude=55.38, longitude=10.38)  # lat, lon order accepted
    assert geocoder.geocode("UTM 3") is None  # srid ignored: not a position in Denmark
    assert geocoder.geocode("Findes ikke 99") is None
    assert geocoder.geocode("   ") is None
    assert len(GSearchHandler.requests) == 3  # a blank address is not looked up
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("Ikke JSON")
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("Fejl 500")


@pytest.mark.parametrize(
    "results",
    [
        None,
        {},
        [],
        ["x"],
        [{"geometri": None}],
        [{"geometri": {"coordinates": []}}],
        [{"geometri": {"coordinates": [True, 55]}}],
    ],
)
def test_odd_answers_mean_not_found(results: object) -> None:
    assert geocoding.first_point(results) is None


def test_an_unreachable_or_slow_service_is_unavailable(closed_port_url: str, gsearch: str) -> None:
    with pytest.raises(GeocoderUnavailable):
        GSearchGeocoder(url=closed_port_url, token="t").geocode("Vollsmosevej 1, 5240 Odense NØ")
    with pytest.raises(GeocoderUnavailable):
        GSearchGeocoder(url=gsearch, token="t", timeout=0.2).geocode("Langsom 1")


def test_the_geocoder_is_off_without_a_token(settings: object) -> None:
    settings.GSEARCH_TOKEN = ""  # type: ignore[attr-defined]
    assert geocoding.get_geocoder() is None
    settings.GSEARCH_TOKEN = "t"  # type: ignore[attr-defined]
    assert geocoding.get_geocoder() is not None


REGISTER = "\r\n".join(
    [
        "Navn;CVR;Adresse;Bredde;Længde",
        "Vollsmose Skakklub;11111111;Vollsmosevej 1, 5240 Odense NØ;;",
        "Spøgelsesklubben;22222222;Findes ikke 99;;",
        "Pinnede Venner;33333333;Findes ikke 99;55,39;10,39",  # a pin by hand wins, no lookup
        "",
    ]
).encode()


def check_and_import(mette: Persona, capture: Callable, *, stop_before_import: Callable[[], None]) -> ActorImport:
    client = mette.client()
    with capture(execute=True):
        client.post(
            reverse("actors:import_upload"),
            {"file": SimpleUploadedFile("r.csv", REGISTER), "municipality": "0461"},
        )
    actor_import = ActorImport.objects.get()
    mapping = {field: str(index) for field, index in actor_import.mapping.items()}
    with capture(execute=True):
        client.post(reverse("actors:import_mapping", args=[actor_import.pk]), mapping)
    stop_before_import()
    with capture(execute=True):
        client.post(reverse("actors:import_confirm", args=[actor_import.pk]))
    actor_import.refresh_from_db()
    return actor_import


def test_the_dry_run_looks_addresses_up_and_the_import_needs_no_network(
    mette: Persona, settings: object, django_capture_on_commit_callbacks: Callable, closed_port_url: str
) -> None:
    GSearchHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), GSearchHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GSEARCH_TOKEN = "t"  # type: ignore[attr-defined]
    settings.GSEARCH_URL = f"http://127.0.0.1:{server.server_address[1]}/adresse"  # type: ignore[attr-defined]

    def stop() -> None:
        server.shutdown()
        server.server_close()
        settings.GSEARCH_URL = closed_port_url  # type: ignore[attr-defined]

    actor_import = check_and_import(mette, django_capture_on_commit_callbacks, stop_before_import=stop)

    assert actor_import.status == ActorImport.Status.DONE
    assert [line for line, _message in actor_import.report["warnings"]] == [3]
    assert len(GSearchHandler.requests) == 2
    actors = {a.external_id: a for a in Actor.objects.exclude(external_id="")}
    assert (actors["11111111"].latitude, actors["11111111"].longitude) == (55.4051, 10.4453)
    assert actors["22222222"].latitude is None
    assert (actors["33333333"].latitude, actors["33333333"].longitude) == (55.39, 10.39)


def test_the_dry_run_never_looks_up_an_address_for_an_actor_kept_by_its_own_administrators(
    mette: Persona, lars: Persona, settings: object, django_capture_on_commit_callbacks: Callable
) -> None:
    # The chess club runs its own profile and keeps its address private. Had the dry run looked up only a changed
    # address, its report would confirm a guess at the stored one.
    club = lars.actor
    assert club is not None
    type(club).objects.filter(pk=club.pk).update(
        external_id="11111111", municipality_id="0461", address="Hemmelig Vej 2", public_fields=[]
    )
    GSearchHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), GSearchHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GSEARCH_TOKEN = "t"  # type: ignore[attr-defined]
    settings.GSEARCH_URL = f"http://127.0.0.1:{server.server_address[1]}/adresse"  # type: ignore[attr-defined]
    try:
        client = mette.client()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("actors:import_upload"),
                {"file": SimpleUploadedFile("r.csv", REGISTER), "municipality": "0461"},
            )
        actor_import = ActorImport.objects.get()
        mapping = {field: str(index) for field, index in actor_import.mapping.items()}
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("actors:import_mapping", args=[actor_import.pk]), mapping)
    finally:
        server.shutdown()
        server.server_close()
    asked = [query.get("q", [""])[0] for query in GSearchHandler.requests]
    assert asked and not [q for q in asked if "Vollsmosevej" in q]  # only the other clubs' addresses


def test_when_the_service_is_down_there_is_one_warning_and_the_import_goes_on(
    mette: Persona, settings: object, django_capture_on_commit_callbacks: Callable, closed_port_url: str
) -> None:
    settings.GSEARCH_TOKEN = "t"  # type: ignore[attr-defined]
    settings.GSEARCH_URL = closed_port_url  # type: ignore[attr-defined]

    actor_import = check_and_import(mette, django_capture_on_commit_callbacks, stop_before_import=lambda: None)

    assert actor_import.status == ActorImport.Status.DONE
    assert [line for line, _message in actor_import.report["warnings"]] == [None]
    assert Actor.objects.filter(external_id="11111111", latitude__isnull=True).exists()


def test_a_new_actor_is_placed_by_the_address_service_or_asks_for_a_pin(
    lars: Persona, settings: object, gsearch: str, closed_port_url: str
) -> None:
    settings.GSEARCH_TOKEN, settings.GSEARCH_URL = "token", gsearch  # type: ignore[attr-defined]
    data = {
        "sector": "association",
        "name": "Ny klub",
        "municipality": "0461",
        "address": "Vollsmosevej 1, 5240 Odense NØ",
    }
    lars.client().post(reverse("actors:create"), data)
    placed = Actor.objects.get(name="Ny klub")
    assert (placed.latitude, placed.longitude) == (55.4051, 10.4453)
    settings.GSEARCH_URL = closed_port_url  # type: ignore[attr-defined]
    response = lars.client().post(reverse("actors:create"), {**data, "name": "Anden klub"}, follow=True)
    assert "nålen" in response.content.decode()
    assert Actor.objects.get(name="Anden klub").latitude is None


def test_without_an_address_service_a_new_actor_is_told_it_is_off_the_map(lars: Persona, settings: object) -> None:
    settings.GSEARCH_TOKEN = ""  # type: ignore[attr-defined]
    data = {"sector": "association", "name": "Ny klub", "municipality": "0461", "address": "Vollsmosevej 1"}
    created = " ".join(lars.client().post(reverse("actors:create"), data, follow=True).content.decode().split())
    assert "Ny klub er ikke på kortet, og søgninger efter aktører nær et sted finder den ikke" in created
    assert "Ikke på kortet: uden en nål" in created  # the page says so to its administrators, until a pin is set
    actor = Actor.objects.get(name="Ny klub")
    actor.latitude, actor.longitude = 55.40, 10.40
    actor.save()
    assert "Ikke på kortet" not in lars.client().get(actor.get_absolute_url()).content.decode()
