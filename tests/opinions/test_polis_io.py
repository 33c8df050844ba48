"""Reading and writing Polis openData folders, and the `opinion_groups` command. No database.

Mette from the municipality wants to compare Samskab's opinion map with a conversation her colleagues ran
on pol.is, so she downloads its openData export and runs `manage.py opinion_groups` on the folder.
"""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from samskab.opinions import polis_io
from samskab.opinions.mapping import compute_opinion_map

OPENDATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis" / "opendata"


def seattle() -> Path:
    path = OPENDATA / "15-per-hour-seattle"
    if not path.exists():
        pytest.fail(f"{path} is missing: these tests need the shared Polis reference data", pytrace=False)
    return path


def test_an_opendata_folder_reads_as_the_readme_describes_it() -> None:
    conversation = polis_io.read_opendata(seattle())

    assert len(conversation.participants) == 339
    assert len(conversation.statement_ids) == 54
    assert len(conversation.moderated_out) == 23
    assert conversation.votes is not None and len(conversation.votes) == 2995  # every vote, changes included
    assert conversation.vote_matrix().n_votes == 2872  # the last vote per participant and statement
    assert set(conversation.polis_groups.values()) == {0, 1}


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    '1,d,0,0,1,0,1,"The square needs light,\nand benches"\n'  # a body over two lines
    "2,d,1,0,0,1,1,Fewer cars\n"
)
PARTICIPANTS = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,0,2,2,1,1,1,-1\n1,,0,1,1,0,1,\n"


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    comments = COMMENTS + "3,d,1,0,0,0,2,A repeated id and a moderation value that does not exist\n"
    comments += "4,d,2,0,x,0,1,Agrees is not a number\n"
    write(tmp_path, "comments.csv", comments)
    write(tmp_path, "participants-votes.csv", PARTICIPANTS)

    with pytest.raises(polis_io.PolisDataError) as error:
        polis_io.read_opendata(tmp_path)

    assert error.value.path.name == "comments.csv"
    assert error.value.problems == [
        (5, "comment-id 1 repeats line 4"),
        (6, "agrees must be a whole number, not 'x'"),
    ]
    assert isinstance(error.value, ValueError)


def test_votes_and_participant_votes_are_checked_against_the_comments(tmp_path: Path) -> None:
    write(tmp_path, "comments.csv", COMMENTS)
    write(tmp_path, "participants-votes.csv", PARTICIPANTS)
    write(
        tmp_path,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n1,d,0,0,1\n2,d,7,0,1\n3,d,1,0,5\nsoon,d,1,1,1\n4,d,1\n",
    )
    with pytest.raises(polis_io.PolisDataError) as error:
        polis_io.read_opendata(tmp_path)
    assert error.value.path.name == "votes.csv"
    assert error.value.problems == [
        (3, "comment-id '7' is not in comments.csv"),
        (4, "vote must be -1, 0 or 1, not 5"),
        (5, "timestamp must be a whole number, not 'soon'"),
        (6, "3 fields where the header has 5"),
    ]

    write(tmp_path, "participants-votes.csv", PARTICIPANTS + "2,,0,1,0,0,maybe,\n")
    with pytest.raises(polis_io.PolisDataError, match="line 4: vote on 0 must be a whole number"):
        polis_io.read_opendata(tmp_path)


def test_unreadable_lines_impossible_times_and_semicolons_are_problems_too(tmp_path: Path) -> None:
    write(tmp_path, "comments.csv", COMMENTS + "3,d,2,0,0,0,1," + "x" * 200_000 + "\n4,d,3,0,0,0,1,Never read\n")
    write(tmp_path, "participants-votes.csv", PARTICIPANTS)
    with pytest.raises(polis_io.PolisDataError) as error:
        polis_io.read_opendata(tmp_path)
    assert error.value.problems == [(5, "a field is longer than 131072 characters")]

    write(tmp_path, "comments.csv", COMMENTS + "1e20,d,2,0,0,0,1,Far ahead\n")
    with pytest.raises(polis_io.PolisDataError, match="line 5: timestamp must be milliseconds since 1970"):
        polis_io.read_opendata(tmp_path)

    write(tmp_path, "comments.csv", COMMENTS.replace(",", ";"))
    with pytest.raises(polis_io.PolisDataError) as error:
        polis_io.read_opendata(tmp_path)
    assert error.value.problems == [
        (1, "the file seems to be separated by semicolons; it must be separated by commas, as Polis exports it")
    ]


def test_a_folder_without_comments_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "participants-votes.csv", PARTICIPANTS)
    with pytest.raises(FileNotFoundError, match=r"comments\.csv"):
        polis_io.read_opendata(tmp_path)


def test_writing_and_reading_back_gives_the_same_conversation(tmp_path: Path) -> None:
    original = polis_io.read_opendata(seattle())
    polis_io.write_opendata(tmp_path, original)
    again = polis_io.read_opendata(tmp_path)

    assert again.comments == original.comments
    assert again.participants == original.participants
    assert again.votes == original.votes


def test_a_samskab_conversation_exports_as_opendata(tmp_path: Path) -> None:
    comments = [
        polis_io.PolisComment("0", "sofie", 2, 0, 1, "Unge mangler et sted at være"),
        polis_io.PolisComment("1", "jens", 0, 1, -1, "Spam"),
    ]
    votes = [
        polis_io.PolisVote(10, "0", "sofie", 1),
        polis_io.PolisVote(11, "0", "lars", -1),
        polis_io.PolisVote(12, "1", "lars", -1),
        polis_io.PolisVote(13, "0", "lars", 1),  # Lars changed his mind
    ]
    conversation = polis_io.build_conversation(comments=comments, votes=votes, groups={"lars": 0})
    polis_io.write_opendata(tmp_path, conversation)
    again = polis_io.read_opendata(tmp_path)

    lars = next(p for p in again.participants if p.participant_id == "lars")
    assert (lars.group_id, dict(lars.votes), lars.n_votes, lars.n_agree) == (0, {"0": 1, "1": -1}, 2, 1)
    assert again.moderated_out == ["1"]
    result = compute_opinion_map(again.vote_records(), statements=again.statement_ids)
    assert result.n_votes == 3


def test_the_command_prints_one_line_per_grouped_participant_and_nothing_else() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    # No database fixture: any query would fail this test.
    call_command("opinion_groups", str(seattle()), stdout=stdout, stderr=stderr)

    lines = stdout.getvalue().splitlines()
    assert lines[0] == "participant,group"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 138  # the participants with at least 7 votes
    assert {group for _participant, group in rows} == {"0", "1"}
    assert len({participant for participant, _group in rows}) == len(rows)
    assert "138 in the conversation" in stderr.getvalue()


def test_the_command_lists_what_is_wrong_with_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "comments.csv", COMMENTS + "3,d,2,0,0,0,9,Bad moderation\n")
    write(tmp_path, "participants-votes.csv", PARTICIPANTS)
    with pytest.raises(CommandError, match=r"comments.csv: line 5: moderated must be -1, 0 or 1, not 9"):
        call_command("opinion_groups", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())


def test_ids_sort_numbers_first_in_numeric_order_whatever_order_they_came_in() -> None:
    ids = ["10", "x", "9", "1", "-1", "01", "²"]
    expected = ["-1", "01", "1", "9", "10", "x", "²"]
    assert sorted(ids, key=polis_io.id_order) == sorted(reversed(ids), key=polis_io.id_order) == expected
