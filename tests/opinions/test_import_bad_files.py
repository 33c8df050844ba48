"""Files that broke the Polis import.

Mette from the municipality imports conversations her colleagues ran on pol.is. Whatever is wrong with the
files (impossible times, a huge or empty statement, a NUL byte, ids too long to keep, Excel's semicolons, a
file far too big for a page to read), she gets the problem table with the file and line, and nothing is
imported.
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse

from samskab.opinions import polis_io
from samskab.opinions.models import Conversation, Statement, Vote

from ..conftest import Persona

HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
COMMENTS = HEADER + "1,x,0,0,1,0,1,Hallen burde være åben fredag aften\n2,x,1,1,0,1,1,Der mangler lys på stien\n"
PARTICIPANTS = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,0,1,2,1,1,1,-1\n1,0,1,1,0,1,,-1\n"
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"
VOTES = VOTES_HEADER + "1400000000000,x,0,0,1\n1400000001000,x,1,0,-1\n1400000002000,x,1,1,-1\n"


def send_import(mette: Persona, *, comments: bytes, participants: bytes, votes: bytes | None = None) -> HttpResponse:
    data = {
        "actor": mette.actor.pk,
        "question": "Fra Polis",
        "comments": SimpleUploadedFile("comments.csv", comments),
        "participants_votes": SimpleUploadedFile("participants-votes.csv", participants),
    }
    if votes is not None:
        data["votes"] = SimpleUploadedFile("votes.csv", votes)
    return mette.client().post(reverse("opinions:import"), data)


def post_import(mette: Persona, *, comments: bytes, participants: bytes, votes: bytes | None = None) -> str:
    response = send_import(mette, comments=comments, participants=participants, votes=votes)
    assert response.status_code == 200, "the import should have been refused"
    return response.content.decode()


def assert_nothing_imported() -> None:
    assert not Conversation.objects.filter(question="Fra Polis").exists()
    assert not Statement.objects.exists()


def test_the_good_files_used_below_import(mette: Persona) -> None:
    response = send_import(mette, comments=COMMENTS.encode(), participants=PARTICIPANTS.encode(), votes=VOTES.encode())
    assert response.status_code == 302
    assert Conversation.objects.get(question="Fra Polis").statements.count() == 2
    # Each vote keeps its value and its time from votes.csv.
    votes = Vote.objects.order_by("voted_at").values_list(
        "participant__external_id", "statement__external_id", "value", "voted_at"
    )
    at = [datetime.fromtimestamp(seconds, UTC) for seconds in (1_400_000_000, 1_400_000_001, 1_400_000_002)]
    assert list(votes) == [("0", "0", 1, at[0]), ("0", "1", -1, at[1]), ("1", "1", -1, at[2])]


@pytest.mark.parametrize("timestamp", ["99999999999999999999", "1e20", "1e308", "-99999999999999"])
def test_a_vote_time_no_calendar_holds_is_reported_by_line(mette: Persona, timestamp: str) -> None:
    votes = VOTES_HEADER + f"1400000000000,x,0,0,1\n{timestamp},x,1,0,-1\n"
    html = post_import(mette, comments=COMMENTS.encode(), participants=PARTICIPANTS.encode(), votes=votes.encode())
    assert "votes.csv:3" in html
    assert f"timestamp skal være millisekunder siden 1970, før år 10000, ikke &#x27;{timestamp}&#x27;" in html
    assert_nothing_imported()


def test_the_latest_time_a_calendar_holds_is_imported(mette: Persona) -> None:
    votes = VOTES_HEADER + "0,x,0,0,1\n253402300799999,x,1,0,-1\n"
    response = send_import(mette, comments=COMMENTS.encode(), participants=PARTICIPANTS.encode(), votes=votes.encode())
    assert response.status_code == 302
    times = Vote.objects.filter(statement__conversation__question="Fra Polis").values_list("voted_at", flat=True)
    assert {moment.year for moment in times} == {1970, 9999}


def test_a_statement_longer_than_the_csv_reader_takes_is_reported_by_line(mette: Persona) -> None:
    comments = COMMENTS + "3,x,2,0,0,0,1," + "å" * 140_000 + "\n"
    html = post_import(mette, comments=comments.encode(), participants=PARTICIPANTS.encode())
    assert "comments.csv:4" in html
    assert "et felt er længere end 131072 tegn" in html
    assert_nothing_imported()


def test_a_nul_byte_is_reported_by_line(mette: Persona) -> None:
    comments = COMMENTS + "3,x,2,0,0,0,1,Lys\x00 på stien\n"
    html = post_import(mette, comments=comments.encode(), participants=PARTICIPANTS.encode())
    assert "comments.csv:4" in html
    assert "linjen indeholder et NUL-tegn (byte 0), som tekst ikke kan indeholde" in html
    assert_nothing_imported()


@pytest.mark.parametrize(
    ("comments", "participants", "votes", "where", "column"),
    [
        (
            COMMENTS.replace("\n2,x,1,1,", "\n2,x,1," + "7" * 41 + ","),
            PARTICIPANTS,
            None,
            "comments.csv:3",
            "author-id",
        ),
        (COMMENTS.replace(",x,1,1,", ",x," + "1" * 41 + ",1,"), PARTICIPANTS, None, "comments.csv:3", "comment-id"),
        (
            COMMENTS,
            PARTICIPANTS.replace("\n1,0,", "\n" + "1" * 41 + ",0,"),
            None,
            "participants-votes.csv:3",
            "participant",
        ),
        (COMMENTS, PARTICIPANTS, VOTES.replace(",x,1,1,", ",x,1," + "1" * 41 + ","), "votes.csv:4", "voter-id"),
    ],
    ids=["author-id", "comment-id", "participant", "voter-id"],
)
def test_an_id_longer_than_samskab_keeps_is_reported_by_line(
    mette: Persona, comments: str, participants: str, votes: str | None, where: str, column: str
) -> None:
    html = post_import(
        mette, comments=comments.encode(), participants=participants.encode(), votes=votes and votes.encode()
    )
    assert where in html
    assert f"{column} er 41 tegn lang; den kan højst være 40 tegn" in html
    assert_nothing_imported()


def test_empty_and_over_long_statements_are_reported_not_cut(mette: Persona) -> None:
    comments = COMMENTS + "3,x,2,0,0,0,1,\n" + '4,x,3,0,0,0,1,"  "\n' + "5,x,4,0,0,0,1," + "a" * 1001 + "\n"
    html = post_import(mette, comments=comments.encode(), participants=PARTICIPANTS.encode())
    assert "comments.csv:4" in html and "comments.csv:5" in html
    assert html.count("comment-body er tom") == 2
    assert "comments.csv:6" in html
    assert "comment-body er 1001 tegn lang; et udsagn kan højst være 1000 tegn" in html
    assert_nothing_imported()


def test_a_statement_of_the_longest_length_is_kept_whole(mette: Persona) -> None:
    # Longer than a statement written here may be (280): what was written in Polis is kept as it was.
    longest = ("Lys på stien bag skolen. " * 50)[:999] + "."
    comments = COMMENTS + f"3,x,2,0,0,0,1,  {longest}  \n"
    response = send_import(mette, comments=comments.encode(), participants=PARTICIPANTS.encode())
    assert response.status_code == 302
    assert Statement.objects.get(external_id="2").text == longest


def test_a_file_saved_by_danish_excel_says_it_is_separated_by_semicolons(mette: Persona) -> None:
    comments = COMMENTS.replace(",", ";").encode("cp1252")
    html = post_import(mette, comments=comments, participants=PARTICIPANTS.encode())
    assert "comments.csv:1" in html
    assert "filen ser ud til at være adskilt med semikolon; den skal være adskilt med kommaer" in html
    assert "manglende kolonne" not in html
    assert_nothing_imported()


def test_a_windows_1252_file_is_read_like_the_actor_import_reads_it(mette: Persona) -> None:
    response = mette.client().post(
        reverse("opinions:import"),
        {
            "actor": mette.actor.pk,
            "question": "Fra Polis",
            "comments": SimpleUploadedFile("comments.csv", COMMENTS.encode("cp1252")),
            "participants_votes": SimpleUploadedFile("participants-votes.csv", PARTICIPANTS.encode()),
        },
    )
    assert response.status_code == 302
    assert Statement.objects.get(external_id="0").text == "Hallen burde være åben fredag aften"


def test_a_file_over_the_limit_is_refused_before_it_is_read(mette: Persona, monkeypatch: pytest.MonkeyPatch) -> None:
    def not_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr("samskab.opinions.polis_io.read_participant_votes", not_read)
    row = "0,0,1,2,1,1,1,-1\n"
    huge = PARTICIPANTS + row * (5 * 1024 * 1024 // len(row))
    assert len(huge) > 5 * 1024 * 1024
    html = post_import(mette, comments=COMMENTS.encode(), participants=huge.encode())
    assert "Filen er større end 5 MB. Større Polis-samtaler kan ikke importeres her." in html
    assert_nothing_imported()


def test_more_votes_than_a_request_can_store_are_refused(mette: Persona, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("samskab.opinions.exchange.MAX_VOTES", 2)
    # The third vote is on line 3 of participants-votes.csv and on line 4 of votes.csv; what follows is not read.
    participants = PARTICIPANTS + "2,0,0,1,0,0,7,\n"
    votes = VOTES + "not a row\n"
    html = post_import(mette, comments=COMMENTS.encode(), participants=participants.encode(), votes=votes.encode())
    too_many = (
        "filerne indeholder mere end 2 stemmer, det højeste antal der kan importeres her; "
        "læsningen stoppede ved denne linje"
    )
    assert re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", html) == [
        ("participants-votes.csv:3", too_many),
        ("votes.csv:4", too_many),
    ]
    assert_nothing_imported()


def test_votes_beyond_the_limit_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "participants-votes.csv").write_text(PARTICIPANTS + "2,0,0,1,0,0,7,\n")
    with pytest.raises(polis_io.PolisDataError) as refused:
        polis_io.read_participant_votes(tmp_path / "participants-votes.csv", {"0", "1"}, max_votes=4)
    assert [(p.line, p.code) for p in refused.value.details] == [(4, "bad_cell")]  # within the limit: read
    with pytest.raises(polis_io.PolisDataError) as refused:
        polis_io.read_participant_votes(tmp_path / "participants-votes.csv", {"0", "1"}, max_votes=2)
    assert [(p.line, p.code) for p in refused.value.details] == [(3, "too_many_votes")]  # line 4 is never read


def test_the_form_says_how_large_the_files_may_be(mette: Persona) -> None:
    html = mette.client().get(reverse("opinions:import")).content.decode()
    assert html.count("Højst 5 MB.") == 3


def test_ids_of_non_ascii_digits_and_text_that_lengthens_when_lowered_do_not_crash(mette: Persona) -> None:
    # "²" counts as a digit to str.isdigit but not to int(): it is kept as a text id.
    odd = send_import(mette, comments=(COMMENTS + "3,x,²,0,0,0,1,Lys\n").encode(), participants=PARTICIPANTS.encode())
    assert odd.status_code == 302 and Statement.objects.filter(external_id="²").exists()
    Conversation.objects.all().delete()
    response = send_import(
        mette, comments=(COMMENTS + "3,x,2,0,0,0,1," + "İ" * 900 + "\n").encode(), participants=PARTICIPANTS.encode()
    )
    assert response.status_code == 302
    assert Statement.objects.get(external_id="2").text == "İ" * 900


def test_files_in_each_others_fields_are_named_as_what_they_are(mette: Persona) -> None:
    html = post_import(mette, comments=VOTES.encode(), participants=COMMENTS.encode(), votes=PARTICIPANTS.encode())
    assert "comments.csv:1" in html and "det her er votes.csv, ikke den fil, der bedes om her" in html
    assert "det her er comments.csv" in html and "det her er participants-votes.csv" in html
    assert "manglende kolonne" not in html
    assert_nothing_imported()


def test_a_zip_or_a_picture_is_named_for_what_it_is(mette: Persona) -> None:
    """Samskab's own export is a zip; uploaded whole into a CSV field it is told to be unpacked, not read as columns."""
    zipped = post_import(mette, comments=b"PK\x03\x04" + b"\x00" * 40, participants=PARTICIPANTS.encode())
    assert "Filen er en zip-fil. Pak den ud, og upload CSV-filerne i den én ad gangen." in zipped
    picture = post_import(mette, comments=COMMENTS.encode(), participants=b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    assert "Filen er ikke en CSV-fil." in picture
    assert_nothing_imported()


def test_an_imported_conversation_says_it_came_from_polis(mette: Persona) -> None:
    assert send_import(mette, comments=COMMENTS.encode(), participants=PARTICIPANTS.encode()).status_code == 302
    conversation = Conversation.objects.get(question="Fra Polis")
    note = "Importeret fra Polis: udsagnene og stemmerne blev afgivet dér, ikke på Samskab."
    assert note in mette.client().get(conversation.get_absolute_url()).content.decode()
    assert note in mette.client().get(reverse("opinions:standalone_list")).content.decode()
