"""Polis openData in and out: export a conversation as Polis's CSV files; import one, all or nothing."""

from __future__ import annotations

import functools
import io
import itertools
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, gettext_lazy

from samskab.actors.imports import ImportFileError, decode
from samskab.actors.models import Actor
from samskab.partnerships.models import Partnership
from samskab.partnerships.services.core import check_open

from . import polis_io
from .models import IMPORTED_STATEMENT_MAX_LENGTH, Conversation, OpinionMapSnapshot, Participant, Statement, Vote
from .presentation import min_voters
from .services import normalise

T = TypeVar("T")

EXPORT_SALT = "samskab.opinions.exchange.export_numbers"  # keys the export's shuffle of participants
# A statement's votes are in the files (the participants' rows, votes.csv and its counts in comments.csv) from this
# many voters, or from the conversation's floor for figures where that is higher (`presentation.min_voters`: 5
# among colleagues).
MIN_VOTERS_IN_ROWS = 3

# The import runs in the request, so it is bounded twice. Larger files are refused before they are read (5 MB
# read in about 5 s and 600 MB; `too_large_text` and the form's help texts name the limit). A dense 5 MB
# participants-votes.csv holds two million votes, the largest Polis export in shared/data 225,000: reading stops
# at the row that passes MAX_VOTES, so what is held in memory stays bounded too. Storing 500,000 votes takes
# about 7 s on SQLite and 18 s on PostgreSQL (two cores).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_VOTES = 500_000
# Polis's ids are kept in Participant.external_id and Statement.external_id.
MAX_ID_LENGTH = min(
    Participant._meta.get_field("external_id").max_length or 0,
    Statement._meta.get_field("external_id").max_length or 0,
)

if TYPE_CHECKING:
    from samskab.accounts.models import User


def too_large_text() -> str:
    return gettext("The file is larger than 5 MB. Larger Polis conversations cannot be imported here.")


def problem_text(problem: polis_io.Problem) -> str:
    """A problem of a Polis file in the active language."""
    return gettext(polis_io.PROBLEM_TEXTS[problem.code]).format(**problem.details)


class ImportProblems(Exception):
    """The files cannot be imported; `problems` lists (file:line, message) pairs."""

    def __init__(self, problems: list[tuple[int | str, str]]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _day(moment: datetime) -> datetime:
    """The local midnight a moment falls on: all an export tells of when (see `export_files`)."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def export_files(conversation: Conversation, snapshot: OpinionMapSnapshot, *, with_hidden: bool) -> dict[str, str]:
    """comments.csv, participants-votes.csv (with the group ids of `snapshot`, the map the results show, and its
    votes) and votes.csv, as Polis lays them out:
    statements and participants numbered from 0 (statements by creation, participants in a keyed shuffle).

    `with_hidden` (for those who may read the moderation log): hidden statements are included as Polis's
    moderated-out comments (moderated -1). Without it they and their votes are left out, as on the results page.

    Votes are pseudonymous, so the files tell no more than the pages of who is behind a participant number: no
    statement's author (author-id -1; a statement can give its writer away, and the author's number would then
    give away their votes), a vote's time only as its statement's day, in statement and participant order (a
    vote seen cast at 14:02 in a workshop would otherwise point to its row), participants numbered in a keyed shuffle
    (`_export_numbers`), not in the order they joined, and no statement's votes in the files, nor its counts,
    before `MIN_VOTERS_IN_ROWS` have voted on it, or the conversation's floor for figures where that is higher
    (`presentation.min_voters`): the export goes to everyone who may see the results, and tells no more than they.
    A group too small for the results to show its votes has no id in the rows, and in an employee-involvement
    process the files hold the statements and their counts but nobody's row.
    """
    shown = conversation.statements.order_by("pk")
    if not with_hidden:
        shown = shown.exclude(moderation=Statement.Moderation.HIDDEN)
    statements = list(shown)
    comment_id = {s.pk: str(i) for i, s in enumerate(statements)}
    voter_id = _export_numbers(conversation)
    # Every vote carries its statement's day: a day of its own would single out the author, whose own agree vote
    # falls on the day the statement was written, on a day nobody else voted.
    day_of = {s.pk: _day(s.created_at) for s in statements}
    shown_votes = Vote.objects.filter(participant__conversation=conversation, statement__in=statements)
    if snapshot.votes_until is not None:
        # The votes of that map, no later: two exports a vote apart would tell the newest voter's vote, as two maps
        # would (`services.compute_map`). A vote changed since is left out until a newer map is published.
        shown_votes = shown_votes.filter(voted_at__lte=snapshot.votes_until)
    rows = shown_votes.values_list("participant_id", "statement_id", "value")
    votes = sorted(rows, key=lambda vote: (day_of[vote[1]], int(comment_id[vote[1]]), int(voter_id[vote[0]])))
    # A statement's first vote is its author's own (services.add_statement): while fewer than three have voted on
    # it, its votes stay out of the files, or its one voter would be its author; and while fewer than the results'
    # floor have, its counts would be figures the results page does not show. Its counts are those of the votes
    # in the files (0 while they are left out), as Polis's are.
    voters = Counter(s for _p, s, _v in votes)
    floor = max(MIN_VOTERS_IN_ROWS, min_voters(conversation))
    votes = [vote for vote in votes if voters[vote[1]] >= floor]
    agrees = Counter(s for _p, s, v in votes if v == 1)
    disagrees = Counter(s for _p, s, v in votes if v == -1)
    ours: Mapping[str, int] = snapshot.result.get("participant_groups", {})
    sizes = [group["size"] for group in snapshot.result.get("groups", [])]
    # A group too small for the results to show how it voted is no group in the rows either: its id beside its
    # members' votes would show it.
    groups = {voter_id[int(p)]: g for p, g in ours.items() if g >= 0 and int(p) in voter_id and sizes[g] >= floor}
    participant_ids = sorted(voter_id.values(), key=int)
    if conversation.partnership is not None and conversation.partnership.voices_are_people:
        # Among colleagues, who know each other and whose leader reads the files, a numbered row could be told
        # apart: the export holds the statements and their counts, and nobody's row.
        votes, groups, participant_ids = [], {}, []
    comments = [
        polis_io.PolisComment(
            statement_id=comment_id[s.pk],
            author_id="-1",
            agrees=agrees[s.pk],
            disagrees=disagrees[s.pk],
            moderated=-1 if s.is_hidden else 1,
            body=s.text,
            timestamp=_ms(day_of[s.pk]),
            datetime=_iso(day_of[s.pk]),
        )
        for s in statements
    ]
    polis_votes = [
        polis_io.PolisVote(
            timestamp=_ms(day_of[s]),
            statement_id=comment_id[s],
            voter_id=voter_id[p],
            value=v,
            datetime=_iso(day_of[s]),
        )
        for p, s, v in votes
    ]
    data = polis_io.build_conversation(
        comments=comments, votes=polis_votes, groups=groups, participant_ids=participant_ids
    )
    return polis_io.opendata_files(data)


def _export_numbers(conversation: Conversation) -> dict[int, str]:
    """Participant pk -> the export's participant number, 0 upwards: a shuffle keyed with the site's secret, the
    same in every export of the conversation, that says nothing of the order in which people joined (the first
    is often the facilitator) and that nobody without the secret can repeat."""
    pks = conversation.participants.values_list("pk", flat=True)

    def key(pk: int) -> bytes:
        return salted_hmac(EXPORT_SALT, f"{conversation.pk}:{pk}", algorithm="sha256").digest()

    shuffled = sorted(pks, key=key)
    return {pk: str(i) for i, pk in enumerate(shuffled)}


def export_zip(conversation: Conversation, snapshot: OpinionMapSnapshot, *, with_hidden: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in export_files(conversation, snapshot, with_hidden=with_hidden).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def import_files(
    *,
    user: User,
    actor: Actor,
    partnership: Partnership | None,
    question: str,
    files: Mapping[str, IO[bytes] | None],
) -> Conversation:
    """Create a conversation from Polis openData files. Every problem is reported by file and line, and
    nothing is written unless everything is valid."""
    if partnership is not None and not partnership.takes_part_through(user, actor):
        raise PermissionDenied(gettext_lazy("Only members import into a partnership."))
    if partnership is not None:
        check_open(partnership)
    if partnership is None and not actor.has_member(user):
        raise PermissionDenied(gettext_lazy("You can only act on behalf of an actor you belong to."))
    problems: list[tuple[int | str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        for key, name in (
            ("comments", polis_io.COMMENTS),
            ("participants_votes", polis_io.PARTICIPANT_VOTES),
            ("votes", polis_io.VOTES),
        ):
            upload = files.get(key)
            if upload is not None:
                raw = upload.read(MAX_UPLOAD_BYTES + 1)
                if len(raw) > MAX_UPLOAD_BYTES:
                    problems.append((name, too_large_text()))
                    continue
                try:
                    text = decode(raw)  # UTF-8, UTF-16 or Windows-1252, as the actor import reads them
                except ImportFileError as error:
                    problems.append((name, str(error)))
                    continue
                (Path(folder) / name).write_text(text, encoding="utf-8")
        if problems:
            raise ImportProblems(problems)
        data = _read_all(Path(folder), problems)
    if problems or data is None:
        raise ImportProblems(problems)
    return _store(user=user, actor=actor, partnership=partnership, question=question, data=data)


def _read_all(folder: Path, problems: list[tuple[int | str, str]]) -> polis_io.PolisConversation | None:
    """Read every file, collecting the problems of all of them rather than stopping at the first."""

    def attempt(read: Callable[[], T], name: str) -> T | None:
        try:
            return read()
        except polis_io.PolisDataError as error:
            problems.extend((f"{name}:{p.line}", problem_text(p)) for p in error.details)
        except FileNotFoundError:
            problems.append((name, gettext("The file is missing.")))
        return None

    read = attempt(
        lambda: polis_io.read_comments(
            folder / polis_io.COMMENTS, max_id_length=MAX_ID_LENGTH, max_body_length=IMPORTED_STATEMENT_MAX_LENGTH
        ),
        polis_io.COMMENTS,
    )
    comments = read or []
    ids = {c.statement_id for c in comments}
    if read is None and (folder / polis_io.PARTICIPANT_VOTES).is_file():
        # comments.csv has its own problems: check the other files' rows against the statements they name.
        ids = set(polis_io.statement_columns(folder / polis_io.PARTICIPANT_VOTES))
    participants = attempt(
        lambda: polis_io.read_participant_votes(
            folder / polis_io.PARTICIPANT_VOTES, ids, max_id_length=MAX_ID_LENGTH, max_votes=MAX_VOTES
        ),
        polis_io.PARTICIPANT_VOTES,
    )
    votes = None
    if (folder / polis_io.VOTES).is_file():
        votes = attempt(
            lambda: polis_io.read_votes(folder / polis_io.VOTES, ids, max_id_length=MAX_ID_LENGTH, max_votes=MAX_VOTES),
            polis_io.VOTES,
        )
    if problems or participants is None:
        return None
    return polis_io.PolisConversation(tuple(comments), tuple(participants), tuple(votes) if votes is not None else None)


@transaction.atomic
def _store(
    *, user: User, actor: Actor, partnership: Partnership | None, question: str, data: polis_io.PolisConversation
) -> Conversation:
    conversation = Conversation.objects.create(
        partnership=partnership,
        question=question,
        allow_anonymous=False,
        is_open=False,
        created_by=user,
        created_by_actor=actor,
        imported_from="Polis openData",
    )
    records = data.vote_records()
    # An author is a participant only by taking part: an author-id of -1 (Samskab's export gives no authors) or
    # of someone without a row of votes makes nobody up.
    people = {p.participant_id for p in data.participants} | {r.participant for r in records}
    participants = {}
    for number, pid in enumerate(sorted(people, key=polis_io.id_order), start=1):
        # Polis records no sectors: an imported participant belongs to none rather than to a guessed one.
        participants[pid] = Participant(conversation=conversation, sector="", number=number, external_id=str(pid))
    Participant.objects.bulk_create(participants.values(), batch_size=2000)
    statements = {}
    for comment in data.comments:
        statements[comment.statement_id] = Statement(
            conversation=conversation,
            author=participants.get(comment.author_id),
            text=comment.body.strip(),  # the reader has refused empty and over-long bodies
            normalised=normalise(comment.body)[:IMPORTED_STATEMENT_MAX_LENGTH],  # lower() can lengthen text
            moderation=Statement.Moderation.HIDDEN if comment.moderated == -1 else Statement.Moderation.VISIBLE,
            external_id=str(comment.statement_id),
        )
    Statement.objects.bulk_create(statements.values(), batch_size=2000)
    # Only the last vote per participant and statement is kept; votes.csv gives their times.
    times = {(v.voter_id, v.statement_id): v.timestamp for v in data.votes or ()}
    last = {(r.participant, r.statement): r.value for r in records if r.statement in statements}
    now = timezone.now()
    _insert_votes(
        (
            participants[pid].pk,
            statements[sid].pk,
            value,
            datetime.fromtimestamp(times[(pid, sid)] / 1000, UTC) if (pid, sid) in times else now,
        )
        for (pid, sid), value in last.items()
    )
    from .services import request_map

    request_map(conversation)
    return conversation


def _insert_votes(rows: Iterable[tuple[int, int, int, datetime]]) -> None:
    """(participant id, statement id, value, time) rows straight into the votes table. bulk_create spends about
    40 µs a row building and preparing model instances, which would hold SQLite's write lock on a large import
    for longer than other writers wait for it (the busy timeout)."""
    quote = connection.ops.quote_name
    fields = (Vote.participant.field, Vote.statement.field, Vote.value.field, Vote.voted_at.field)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    sql = f"INSERT INTO {quote(Vote._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)"
    adapt = functools.cache(connection.ops.adapt_datetimefield_value)  # votes without a time share one
    with connection.cursor() as cursor:
        for batch in itertools.batched(rows, 5000):
            cursor.executemany(sql, [(p, s, value, adapt(at)) for p, s, value, at in batch])
