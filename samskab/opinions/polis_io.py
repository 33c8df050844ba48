"""Read and write Polis openData folders: comments.csv, votes.csv and participants-votes.csv.

Pure module (no Django). `read_opendata` validates every row and raises `PolisDataError` (a ValueError)
listing each bad row by file and line, so an import tells the user everything that is wrong at once.
In these files agree = +1, disagree = -1, pass = 0, as in Samskab.

Formats (as exported by Polis):
- comments.csv: timestamp, datetime, comment-id, author-id, agrees, disagrees, moderated, comment-body;
  `moderated` is -1 (moderated out), 0 (unmoderated) or 1 (accepted).
- votes.csv (optional): timestamp, datetime, comment-id, voter-id, vote; every vote, the last per voter and
  comment counting. Files are not always sorted: `vote_records` orders by timestamp (stable).
- participants-votes.csv: participant, [xid,] group-id, n-comments, n-votes, n-agree, n-disagree, then one
  column per comment id holding 1, -1, 0 or blank. `group-id` is Polis's opinion group, blank if none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .mapping import VoteMatrix, VoteRecord

COMMENTS, VOTES, PARTICIPANT_VOTES = "comments.csv", "votes.csv", "participants-votes.csv"
# The columns each file must have (the others are read when present).
REQUIRED_COLUMNS = {
    COMMENTS: ("comment-id", "moderated"),
    VOTES: ("timestamp", "comment-id", "voter-id", "vote"),
    PARTICIPANT_VOTES: ("participant", "group-id"),
}
COMMENT_FIELDS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTE_FIELDS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_FIELDS = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
MAX_PROBLEMS = 200  # per file; a wholly wrong file should not produce a million messages
# The last millisecond of the year 9999, the latest time Python (and so Django) can hold.
MAX_TIMESTAMP_MS = 253_402_300_799_999


def gettext_noop(text: str) -> str:
    """Marks `text` for the translation catalogue (makemessages looks for this name) without importing
    Django; pages translate it when they show it."""
    return text


# Every problem a file can have: a code and its English text, formatted with the problem's details.
PROBLEM_TEXTS = {
    "empty_file": gettext_noop("the file is empty: a header line is missing"),
    "field_count": gettext_noop("{fields} fields where the header has {expected}"),
    "not_integer": gettext_noop("{column} must be a whole number, not {value!r}"),
    "vote_not_integer": gettext_noop("vote on {column} must be a whole number, not {value!r}"),
    "missing_columns": gettext_noop("missing column(s): {columns}"),
    "another_file": gettext_noop("this is {name}, not the file asked for here: put each file in its own field"),
    "empty_comment_id": gettext_noop("comment-id is empty"),
    "repeated_comment_id": gettext_noop("comment-id {id} repeats line {first}"),
    "bad_moderated": gettext_noop("moderated must be -1, 0 or 1, not {value}"),
    "bad_vote": gettext_noop("vote must be -1, 0 or 1, not {value}"),
    "unknown_comment": gettext_noop("comment-id {id!r} is not in comments.csv"),
    "empty_voter": gettext_noop("voter-id is empty"),
    "unknown_columns": gettext_noop("column(s) {columns} are not comment ids in comments.csv"),
    "empty_participant": gettext_noop("participant is empty"),
    "repeated_participant": gettext_noop("participant {id} repeats line {first}"),
    "bad_cell": gettext_noop("vote on {column} must be -1, 0, 1 or blank, not {value!r}"),
    "bad_timestamp": gettext_noop("{column} must be milliseconds since 1970, before the year 10000, not {value!r}"),
    "unreadable": gettext_noop("the line could not be read ({reason}); check its quotation marks"),
    "field_too_long": gettext_noop("a field is longer than {limit} characters"),
    "nul_character": gettext_noop("the line contains a NUL character (byte 0), which text cannot hold"),
    "id_too_long": gettext_noop("{column} is {length} characters long; it can be at most {max} characters"),
    "empty_body": gettext_noop("comment-body is empty"),
    "body_too_long": gettext_noop(
        "comment-body is {length} characters long; a statement can be at most {max} characters"
    ),
    "too_many_votes": gettext_noop(
        "the files hold more than {max} votes, the most that can be imported here; reading stopped at this line"
    ),
    "semicolons": gettext_noop(
        "the file seems to be separated by semicolons; it must be separated by commas, as Polis exports it"
    ),
}


@dataclass(frozen=True)
class Problem:
    """One bad row: its line (1 = the header), a code of PROBLEM_TEXTS and the details the text names."""

    line: int
    code: str
    details: Mapping[str, object]

    @property
    def message(self) -> str:
        return PROBLEM_TEXTS[self.code].format(**self.details)


class PolisDataError(ValueError):
    """A file of an openData folder has bad rows. `problems` lists (line, English message), line 1 = the
    header; `details` holds the same as `Problem`s, for messages in another language."""

    def __init__(self, path: Path | str, details: list[Problem]) -> None:
        self.path = Path(path)
        self.details = details
        problems = [(p.line, p.message) for p in details]
        self.problems = problems
        shown = "; ".join(f"line {line}: {message}" for line, message in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{self.path.name}: {shown}{more}")


@dataclass(frozen=True)
class PolisComment:
    """A row of comments.csv (a statement)."""

    statement_id: str
    author_id: str
    agrees: int
    disagrees: int
    moderated: int  # -1 out, 0 unmoderated, 1 accepted
    body: str
    timestamp: int | None = None  # milliseconds since the epoch
    datetime: str = ""


@dataclass(frozen=True)
class PolisVote:
    """A row of votes.csv."""

    timestamp: int  # milliseconds since the epoch
    statement_id: str
    voter_id: str
    value: int  # +1 agree, -1 disagree, 0 pass
    datetime: str = ""


@dataclass(frozen=True)
class PolisParticipant:
    """A row of participants-votes.csv: the counts as exported, and the participant's last votes."""

    participant_id: str
    group_id: int | None
    n_comments: int
    n_votes: int
    n_agree: int
    n_disagree: int
    votes: Mapping[str, int]  # statement id → last vote
    xid: str = ""


@dataclass(frozen=True)
class PolisConversation:
    """One openData folder. `votes` are in file order (use `vote_records` for time order)."""

    comments: tuple[PolisComment, ...]
    participants: tuple[PolisParticipant, ...]
    votes: tuple[PolisVote, ...] | None  # None when the folder has no votes.csv

    @property
    def statement_ids(self) -> list[str]:
        return [c.statement_id for c in self.comments]

    @property
    def moderated_out(self) -> list[str]:
        return [c.statement_id for c in self.comments if c.moderated == -1]

    @property
    def polis_groups(self) -> dict[str, int]:
        """Polis's own opinion group per participant (those it placed in a group)."""
        return {p.participant_id: p.group_id for p in self.participants if p.group_id is not None}

    def vote_records(self) -> list[VoteRecord]:
        """All votes in time order (votes.csv sorted by timestamp, stable), else the last votes from
        participants-votes.csv, participant by participant."""
        if self.votes is not None:
            ordered = sorted(self.votes, key=lambda v: v.timestamp)
            return [VoteRecord(v.voter_id, v.statement_id, v.value) for v in ordered]
        return [VoteRecord(p.participant_id, s, value) for p in self.participants for s, value in p.votes.items()]

    def vote_matrix(self) -> VoteMatrix:
        """The vote matrix (last vote per participant and statement) over `statement_ids`."""
        return VoteMatrix.from_records(self.vote_records(), statements=self.statement_ids)


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[Problem] = []

    def add(self, line: int, code: str, **details: object) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(line, code, details))

    def raise_if_any(self) -> None:
        if self.items:
            raise PolisDataError(self.path, self.items)


def _csv_problem(line: int, error: csv.Error, problems: _Problems) -> None:
    if "field larger than field limit" in str(error):
        problems.add(line, "field_too_long", limit=csv.field_size_limit())
    else:
        problems.add(line, "unreadable", reason=str(error))


def _rows(path: Path, problems: _Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line of the record, row as a dict) for every data row; checks the column count and that the
    cells hold text a database can store. A line the csv module cannot read ends the file's reading."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except csv.Error:
            return  # _check_header has reported it
        if header is None:
            problems.add(1, "empty_file")
            return
        end = reader.line_num
        while True:
            start = end + 1
            try:
                row = next(reader, None)
            except csv.Error as error:
                _csv_problem(start, error, problems)
                return
            if row is None:
                return
            end = reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                problems.add(start, "field_count", fields=len(row), expected=len(header))
                continue
            if any("\x00" in cell for cell in row):
                problems.add(start, "nul_character")
                continue
            yield start, dict(zip(header, row, strict=True))


def _header(path: Path) -> list[str]:
    """The header's fields; none if the first line cannot be read (`_check_header` says why)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            return next(csv.reader(handle), [])
        except csv.Error:
            return []


def statement_columns(path: Path) -> list[str]:
    """The statement ids a participants-votes.csv has columns for (its header without the fixed fields)."""
    return [c for c in _header(path) if c not in PARTICIPANT_FIELDS]


def _int(
    value: str, line: int, column: str, problems: _Problems, *, blank: bool = False, code: str = "not_integer"
) -> int | None:
    value = value.strip()
    if value == "" and blank:
        return None
    try:
        return int(value)
    except ValueError:
        pass
    try:
        as_float = float(value)  # some exports write "1.0"
    except ValueError:
        as_float = float("nan")
    if as_float.is_integer():
        return int(as_float)
    problems.add(line, code, column=column, value=value)
    return None


def _first_time(key: str, line: int, seen: dict[str, int], problems: _Problems, *, empty: str, repeated: str) -> bool:
    """Whether a row's id is present and new; otherwise the problem (code `empty` or `repeated`) is noted."""
    if not key:
        problems.add(line, empty)
        return False
    if key in seen:
        problems.add(line, repeated, id=key, first=seen[key])
        return False
    seen[key] = line
    return True


def _check_header(path: Path, required: Sequence[str], problems: _Problems) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            header = next(csv.reader(handle), [])
        except csv.Error as error:
            _csv_problem(1, error, problems)
            return []
    missing = [c for c in required if c not in header]
    # One of the other files, in the wrong field: say which, rather than list the columns it lacks.
    other = next(
        (
            name
            for name, columns in REQUIRED_COLUMNS.items()
            if columns != tuple(required) and set(columns) <= set(header)
        ),
        None,
    )
    if missing and len(header) == 1 and ";" in header[0]:
        # Danish Excel saves "CSV" with semicolons; say so rather than list every column as missing.
        problems.add(1, "semicolons")
    elif missing and other is not None:
        problems.add(1, "another_file", name=other)
    elif missing:
        problems.add(1, "missing_columns", columns=", ".join(missing))
    return header


def _timestamp(value: str, line: int, column: str, problems: _Problems, *, blank: bool = False) -> int | None:
    """Milliseconds since the epoch, within the years a datetime can hold."""
    timestamp = _int(value, line, column, problems, blank=blank)
    if timestamp is not None and not 0 <= timestamp <= MAX_TIMESTAMP_MS:
        problems.add(line, "bad_timestamp", column=column, value=value.strip())
        return None
    return timestamp


def _short(value: str, line: int, column: str, max_length: int | None, problems: _Problems) -> bool:
    """Whether an id fits in `max_length` characters (None: any length); otherwise the problem is noted."""
    if max_length is not None and len(value) > max_length:
        problems.add(line, "id_too_long", column=column, length=len(value), max=max_length)
        return False
    return True


def read_comments(
    path: Path, *, max_id_length: int | None = None, max_body_length: int | None = None
) -> list[PolisComment]:
    """The comments, in id order. Ids longer than `max_id_length` and bodies longer than `max_body_length`
    (None: any length) are problems, as are empty bodies."""
    problems = _Problems(path)
    _check_header(path, REQUIRED_COLUMNS[COMMENTS], problems)
    problems.raise_if_any()
    comments: list[PolisComment] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, problems):
        statement = row["comment-id"].strip()
        if not _first_time(statement, line, seen, problems, empty="empty_comment_id", repeated="repeated_comment_id"):
            continue
        author = row.get("author-id", "").strip()
        _short(statement, line, "comment-id", max_id_length, problems)
        _short(author, line, "author-id", max_id_length, problems)
        moderated = _int(row["moderated"], line, "moderated", problems)
        if moderated is not None and moderated not in (-1, 0, 1):
            problems.add(line, "bad_moderated", value=moderated)
        agrees = _int(row.get("agrees", ""), line, "agrees", problems, blank=True)
        disagrees = _int(row.get("disagrees", ""), line, "disagrees", problems, blank=True)
        timestamp = _timestamp(row.get("timestamp", ""), line, "timestamp", problems, blank=True)
        body = row.get("comment-body", "")
        if not body.strip():
            problems.add(line, "empty_body")
        elif max_body_length is not None and len(body.strip()) > max_body_length:
            problems.add(line, "body_too_long", length=len(body.strip()), max=max_body_length)
        comments.append(
            PolisComment(
                statement_id=statement,
                author_id=author,
                agrees=agrees or 0,
                disagrees=disagrees or 0,
                moderated=moderated if moderated in (-1, 0, 1) else 0,
                body=body,
                timestamp=timestamp,
                datetime=row.get("datetime", ""),
            )
        )
    problems.raise_if_any()
    return sorted(comments, key=lambda c: id_order(c.statement_id))


def id_order(value: str) -> tuple[int, int, str]:
    """A sort key for Polis ids: numeric ids in numeric order before any other id, which sort as strings (and
    "01" before "1", so that the order never depends on the order the ids came in)."""
    return (0, int(value), value) if value.lstrip("-").isdecimal() and value.isascii() else (1, 0, value)


def read_votes(
    path: Path, statements: Collection[str], *, max_id_length: int | None = None, max_votes: int | None = None
) -> list[PolisVote]:
    """votes.csv's rows. With `max_votes`, reading stops at the row that brings the number of distinct
    (voter, statement) pairs above it, so an oversized file is refused before it is held in memory."""
    problems = _Problems(path)
    _check_header(path, REQUIRED_COLUMNS[VOTES], problems)
    problems.raise_if_any()
    votes: list[PolisVote] = []
    pairs: set[tuple[str, str]] = set()
    for line, row in _rows(path, problems):
        statement, voter = row["comment-id"].strip(), row["voter-id"].strip()
        if max_votes is not None:
            pairs.add((voter, statement))
            if len(pairs) > max_votes:
                problems.add(line, "too_many_votes", max=max_votes)
                break
        timestamp = _timestamp(row["timestamp"], line, "timestamp", problems)
        value = _int(row["vote"], line, "vote", problems)
        ok = timestamp is not None and value is not None
        if value is not None and value not in (-1, 0, 1):
            problems.add(line, "bad_vote", value=value)
            ok = False
        if statement not in statements:
            problems.add(line, "unknown_comment", id=statement)
            ok = False
        if not voter:
            problems.add(line, "empty_voter")
            ok = False
        elif not _short(voter, line, "voter-id", max_id_length, problems):
            ok = False
        if ok:
            assert timestamp is not None and value is not None
            votes.append(PolisVote(timestamp, statement, voter, value, row.get("datetime", "")))
    problems.raise_if_any()
    return votes


def read_participant_votes(
    path: Path, statements: Collection[str], *, max_id_length: int | None = None, max_votes: int | None = None
) -> list[PolisParticipant]:
    """participants-votes.csv's rows. With `max_votes`, reading stops at the row whose votes bring the total
    above it."""
    problems = _Problems(path)
    _check_header(path, REQUIRED_COLUMNS[PARTICIPANT_VOTES], problems)
    vote_columns = statement_columns(path)
    unknown = [c for c in vote_columns if c not in statements]
    if unknown and not problems.items:
        problems.add(1, "unknown_columns", columns=", ".join(unknown[:10]))
    problems.raise_if_any()
    participants: list[PolisParticipant] = []
    seen: dict[str, int] = {}
    total = 0
    for line, row in _rows(path, problems):
        pid = row["participant"].strip()
        if not _first_time(pid, line, seen, problems, empty="empty_participant", repeated="repeated_participant"):
            continue
        _short(pid, line, "participant", max_id_length, problems)
        group = _int(row["group-id"], line, "group-id", problems, blank=True)
        n_comments, n_votes, n_agree, n_disagree = (
            _int(row.get(c, ""), line, c, problems, blank=True) or 0 for c in PARTICIPANT_FIELDS[3:]
        )
        votes: dict[str, int] = {}
        for column in vote_columns:
            cell = row[column].strip()
            if cell == "":
                continue
            value = _int(cell, line, column, problems, code="vote_not_integer")
            if value is None:
                continue
            if value not in (-1, 0, 1):
                problems.add(line, "bad_cell", column=column, value=cell)
                continue
            votes[column] = value
        total += len(votes)
        if max_votes is not None and total > max_votes:
            problems.add(line, "too_many_votes", max=max_votes)
            break
        participants.append(
            PolisParticipant(pid, group, n_comments, n_votes, n_agree, n_disagree, votes=votes, xid=row.get("xid", ""))
        )
    problems.raise_if_any()
    return participants


def read_opendata(folder: Path | str) -> PolisConversation:
    """Read and validate an openData folder; comments.csv and participants-votes.csv are required,
    votes.csv is read when present. Raises FileNotFoundError or PolisDataError."""
    folder = Path(folder)
    for name in (COMMENTS, PARTICIPANT_VOTES):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing")
    comments = read_comments(folder / COMMENTS)
    ids = {c.statement_id for c in comments}
    participants = read_participant_votes(folder / PARTICIPANT_VOTES, ids)
    votes = read_votes(folder / VOTES, ids) if (folder / VOTES).is_file() else None
    return PolisConversation(tuple(comments), tuple(participants), tuple(votes) if votes is not None else None)


def build_conversation(
    *,
    comments: Sequence[PolisComment],
    votes: Sequence[PolisVote],
    groups: Mapping[str, int] | None = None,
    participant_ids: Sequence[str] | None = None,
) -> PolisConversation:
    """A conversation from comments and time-ordered votes, deriving participants-votes (last vote per
    pair, counts and, if given, group ids) the way Polis's export does. The participants are
    `participant_ids` in that order if given (those without votes included), else every voter by id."""
    groups = groups or {}
    authored: dict[str, int] = {}
    for c in comments:
        authored[c.author_id] = authored.get(c.author_id, 0) + 1
    last: dict[str, dict[str, int]] = {}
    for v in sorted(votes, key=lambda v: v.timestamp):
        last.setdefault(v.voter_id, {})[v.statement_id] = v.value
    participants = []
    for pid in sorted(last, key=id_order) if participant_ids is None else participant_ids:
        mine = last.get(pid, {})
        participants.append(
            PolisParticipant(
                participant_id=pid,
                group_id=groups.get(pid),
                n_comments=authored.get(pid, 0),
                n_votes=len(mine),
                n_agree=sum(1 for x in mine.values() if x == 1),
                n_disagree=sum(1 for x in mine.values() if x == -1),
                votes=mine,
            )
        )
    ordered = sorted(comments, key=lambda c: id_order(c.statement_id))
    return PolisConversation(tuple(ordered), tuple(participants), tuple(votes))


def opendata_files(conversation: PolisConversation) -> dict[str, str]:
    """The text of comments.csv, participants-votes.csv and (if the conversation has votes) votes.csv."""

    def table(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue()

    files = {
        COMMENTS: table(
            COMMENT_FIELDS,
            (
                [
                    "" if c.timestamp is None else c.timestamp,
                    c.datetime,
                    c.statement_id,
                    c.author_id,
                    c.agrees,
                    c.disagrees,
                    c.moderated,
                    c.body,
                ]
                for c in conversation.comments
            ),
        )
    }
    statement_ids = conversation.statement_ids
    with_xid = any(p.xid for p in conversation.participants)
    fields = [f for f in PARTICIPANT_FIELDS if with_xid or f != "xid"]

    def participant_row(p: PolisParticipant) -> list[object]:
        meta = {
            "participant": p.participant_id,
            "xid": p.xid,
            "group-id": "" if p.group_id is None else p.group_id,
            "n-comments": p.n_comments,
            "n-votes": p.n_votes,
            "n-agree": p.n_agree,
            "n-disagree": p.n_disagree,
        }
        return [*(meta[f] for f in fields), *(p.votes.get(s, "") for s in statement_ids)]

    files[PARTICIPANT_VOTES] = table([*fields, *statement_ids], map(participant_row, conversation.participants))
    if conversation.votes is not None:
        files[VOTES] = table(
            VOTE_FIELDS, ([v.timestamp, v.datetime, v.statement_id, v.voter_id, v.value] for v in conversation.votes)
        )
    return files


def write_opendata(folder: Path | str, conversation: PolisConversation) -> None:
    """Write comments.csv, participants-votes.csv and (if the conversation has votes) votes.csv."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in opendata_files(conversation).items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
