"""The database administrator as adversary (issue 11, section 5).

Ballots are cast by card and by account at once; then the database is read with SQL alone,
before the close, after it and after the decryption:
- every table of the public schema, each row with its system columns xmin and ctid
  (`row::text`, where bytes print in hexadecimal, `\\x...`);
- through pageinspect, every line pointer of every page of the ballot tables
  (awards_sealedballot, awards_ballot, awards_ballotcode, awards_issuance) and of the key's two
  tables (awards_keyshare, awards_poll), with its xmin, xmax and raw bytes in hexadecimal: the
  dead row versions an UPDATE leaves behind until VACUUM, which SELECT no longer shows;
- pg_stat_activity's `query`, sampled by a thread for as long as the casts run, with
  track_activity_query_size at its default (1 kB holds a whole cast statement). psycopg2
  interpolates the parameters into the statement, so the view shows them as literals. So that
  the sampler is sure to read a cast while it runs, the test holds a SHARE lock on
  awards_sealedballot until the sampler has seen the first ballot's INSERT waiting for it.

And the logs: caplog on every logger at DEBUG, with settings.DEBUG on for the whole test.
Django logs SQL (django.db.backends: every statement with its parameters) only when DEBUG is on;
production runs with it off, where that log says nothing. The test turns it on to read the most
that any log of the app can hold: what is not in it is not in production's logs either. The one
record that may hold plain choices is the decryption's INSERT into awards_ballot: the plain
ballots in their random order, as the table holds them.

What is searched for, for each ballot (each chooses a different set of names, so one found next
to a code, a tracker or a person would give its voter away): its plaintext as sealed
(sealing.encode_choices, one byte per name on the ballot) in hexadecimal and as a Python bytes
literal (the SQL log's form of a parameter), and its choices as awards_ballot stores them (the
JSON list of option ids). For the key: each share as handed out and as its letters alone, its
bytes, the key the shares rebuild and the private key.
"""

import itertools
import json
import logging
import threading
from collections import Counter

import pytest
from Crypto.Protocol.SecretSharing import Shamir
from cryptography.hazmat.primitives import serialization
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation

from awards import sealing
from awards.models import Ballot, Issuance, KeyShare, Poll
from awards.services import counting, keys, polls
from tests.awards.factories import check_in, collect_shares, make_cards, make_poll
from tests.clusters.factories import PersonFactory, UserFactory

BALLOT_TABLES = ["awards_sealedballot", "awards_ballot", "awards_ballotcode", "awards_issuance"]
PAGED_TABLES = BALLOT_TABLES + ["awards_keyshare", "awards_poll"]
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CAST_INSERT = 'INSERT INTO "awards_sealedballot"'


def sql(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def page_items(table: str) -> list[tuple]:
    """(line pointer, xmin, xmax, raw bytes in hex) of every row version in the table's pages,
    live or dead."""
    (blocks,) = sql("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])
    items: list[tuple] = []
    for block in range(blocks[0]):
        items += sql(
            "SELECT lp, t_xmin::text, t_xmax::text, encode(t_data, 'hex') "
            "FROM heap_page_items(get_raw_page(%s, %s)) WHERE t_data IS NOT NULL",
            [table, block],
        )
    return items


def dump() -> dict[str, str]:
    """Every table of the public schema as text with xmin and ctid, and the pages of
    PAGED_TABLES ("pages:<table>"), dead row versions included."""
    sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
    tables = sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    out = {}
    for (table,) in tables:
        rows = sql(f'SELECT xmin::text, ctid::text, t::text FROM "{table}" t')
        out[table] = "\n".join(" ".join(row) for row in rows)
    for table in PAGED_TABLES:
        out[f"pages:{table}"] = "\n".join(" ".join(map(str, i)) for i in page_items(table))
    return out


def page_xids(table: str) -> set[str]:
    """The transactions that wrote (xmin) or replaced (xmax) any row version of the table."""
    return {x for _lp, xmin, xmax, _data in page_items(table) for x in (xmin, xmax)} - {"0"}


def found(texts: dict[str, str], needles: dict[str, str]) -> set[tuple[str, str]]:
    """(where, what) for every needle found in every text."""
    return {
        (where, what)
        for where, text in texts.items()
        for what, needle in needles.items()
        if needle in text
    }


def log_everything(caplog, request) -> None:
    """caplog at DEBUG on the root logger and on every logger that sets its own level (Django's
    "django" logger is at INFO, which would drop the SQL log); loggers that do not propagate get
    caplog's handler themselves."""
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET:
            caplog.set_level(logging.DEBUG, logger=name)
        if isinstance(logger, logging.Logger) and not logger.propagate:
            handler = caplog.handler
            logger.addHandler(handler)
            request.addfinalizer(lambda logger=logger, h=handler: logger.removeHandler(h))


def committee_of(poll, names: list[str]) -> list:
    """Counting committee members with accounts and these names. Returns the people."""
    units = [d.unit for d in poll.conference.delegates.order_by("pk")[: len(names)]]
    members = [
        PersonFactory(full_name=name, unit=unit, user=UserFactory())
        for name, unit in zip(names, units, strict=True)
    ]
    poll.conference.counting_committee.set(members)
    return members


@pytest.mark.django_db(transaction=True)
def test_the_database_and_the_logs_link_no_ballot_to_a_voter(settings, caplog, request):
    # Rows that earlier tests rolled back stay in the pages until VACUUM: start from new files.
    sql(f"TRUNCATE {', '.join(PAGED_TABLES)} CASCADE")
    settings.DEBUG = True  # the SQL log on (see the module's docstring)
    log_everything(caplog, request)
    poll, options, delegates = make_poll(n_delegates=12, seats=3)
    committee_of(poll, ["Trần Văn Kiểm", "Lê Thị Phiếu", "Phạm Văn Thùng"])
    voters = delegates[6:]
    check_in(poll, voters, Issuance.ACCOUNT)
    polls.open_poll(poll=poll)
    poll.refresh_from_db()
    assert poll.shares_needed == 2
    shares = collect_shares(poll, 3)
    codes = make_cards(poll, 6)  # checks delegates[:6] in on cards
    ids = [o.pk for o in options]
    # Twelve ballots of three names each, no two alike and in no regular pattern (a ballot
    # decoded against the wrong names would change the tally): six by card, six by account.
    triples = list(itertools.combinations(ids, 3))
    picks = [list(triples[17 * n + 2]) for n in range(12)]
    assert len({tuple(p) for p in picks}) == 12
    plaintexts = [sealing.encode_choices(ids, dict.fromkeys(p, "for")) for p in picks]
    plain = {f"ballot {n} sealed plaintext": p.hex() for n, p in enumerate(plaintexts)}
    plain |= {f"ballot {n} plaintext bytes": repr(p)[2:-1] for n, p in enumerate(plaintexts)}
    choices = {f"ballot {n} choices": json.dumps(p) for n, p in enumerate(picks)}

    samples: list[str] = []  # every query text, of every database of the server
    our_inserts: set[str] = set()  # this database's casts caught waiting
    stop, cast_seen = threading.Event(), threading.Event()

    def sample():
        # The driver's own cursor: the sampler's statements stay out of the SQL log.
        connections["default"].ensure_connection()
        cursor = connections["default"].connection.cursor()
        try:
            while not stop.is_set():
                cursor.execute(
                    "SELECT datname = current_database(), wait_event_type, query "
                    "FROM pg_stat_activity"
                )
                for ours, waiting, query in cursor.fetchall():
                    samples.append(query or "")
                    if ours and waiting == "Lock" and (query or "").startswith(CAST_INSERT):
                        our_inserts.add(query)
                        cast_seen.set()
        finally:
            cursor.close()
            connections["default"].close()

    barrier = threading.Barrier(12)
    trackers: dict[int, str] = {}
    errors: list[Exception] = []

    def cast(n: int):
        try:
            barrier.wait()
            if n < 6:
                trackers[n] = polls.cast_with_code(poll=poll, code=codes[n], choices=picks[n])
            else:
                trackers[n] = polls.cast_with_account(
                    poll=poll, person=voters[n - 6], choices=picks[n]
                )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections["default"].close()

    sampler = threading.Thread(target=sample)
    casts = [threading.Thread(target=cast, args=(n,)) for n in range(12)]
    with transaction.atomic():
        sql("LOCK TABLE awards_sealedballot IN SHARE MODE")  # the first INSERT waits for it
        sampler.start()
        for thread in casts:
            thread.start()
        seen_waiting = cast_seen.wait(timeout=20)
    for thread in casts:
        thread.join()
    stop.set()
    sampler.join()
    assert errors == [] and seen_waiting
    assert sorted(trackers.values()) == polls.trackers(poll=poll) and len(trackers) == 12

    # The sampler did read a cast with its parameters: the ciphertext is there as a literal.
    sealed = [bytes(s) for (s,) in sql("SELECT sealed FROM awards_sealedballot")]
    [waiting_insert] = our_inserts
    assert len([c for c in sealed if c.hex() in waiting_insert]) == 1
    # Every ballot's ciphertext has the same length, whatever it chose.
    assert sql("SELECT DISTINCT octet_length(sealed) FROM awards_sealedballot") == [
        (32 + sealing.NONCE + len(ids) + 16,)
    ]
    # What the administrator can link, by design: each ciphertext to the code or issuance it
    # consumed (one transaction each). This is why the ciphertext must say nothing.
    cast_xids = {x for (x,) in sql("SELECT xmin::text FROM awards_sealedballot")}
    consumed_xids = {x for (x,) in sql("SELECT xmin::text FROM awards_ballotcode WHERE consumed")}
    consumed_xids |= {
        x
        for (x,) in sql(
            "SELECT xmin::text FROM awards_issuance WHERE consumed AND channel = %s",
            [Issuance.ACCOUNT],
        )
    }
    assert len(cast_xids) == 12 and consumed_xids == cast_xids

    # The key, as whoever holds enough shares would rebuild it (to search for it below).
    pieces = [sealing.read_share(s) for s in shares]
    sealed_key = bytes(Poll.objects.get(pk=poll.pk).sealed_key)
    private = sealing.unseal_private(
        poll_id=poll.uuid.bytes, sealed_private=sealed_key, shares=pieces[:2]
    )
    raw = serialization.Encoding.Raw
    secrets_ = {"rebuilt key": Shamir.combine(pieces[:2], ssss=False).hex()}
    secrets_["private key"] = private.private_bytes(
        raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    ).hex()
    for n, (text, (_number, share)) in enumerate(zip(shares, pieces, strict=True)):
        letters = text.split("-", 1)[1].replace("-", "")
        secrets_ |= {
            f"share {n} as handed out": text,
            f"share {n} letters": letters,
            f"share {n} letters, lower case": letters.lower(),
            f"share {n} bytes": share.hex(),
            f"share {n} bytes literal": repr(share)[2:-1],
        }

    before_close = dump()
    polls.close_poll(poll=poll)
    after_close = dump()
    # The search reads bytes as the dumps print them: each ciphertext is found in its rows and
    # in its table's pages, and nowhere else.
    ciphertexts = {f"ciphertext {n}": c.hex() for n, c in enumerate(sealed)}
    assert found(after_close, ciphertexts) == {
        (where, what)
        for where in ("awards_sealedballot", "pages:awards_sealedballot")
        for what in ciphertexts
    }
    for texts in (before_close, after_close):
        assert texts["awards_ballot"] == "" and texts["pages:awards_ballot"] == ""
        assert found(texts, plain | choices) == set()
    assert sql("SELECT count(*) FROM awards_keyshare WHERE waiting IS NOT NULL") == [(0,)]

    assert keys.decrypt(poll=Poll.objects.get(pk=poll.pk), shares=[shares[2], shares[0]]) == 12
    after_count = dump()
    outside_ballots = {
        k: v for k, v in after_count.items() if k not in ("awards_ballot", "pages:awards_ballot")
    }
    assert found(outside_ballots, plain) == set()
    # Each plain ballot is found once it is written, in awards_ballot and nowhere else.
    assert found(after_count, choices) == {("awards_ballot", what) for what in choices}

    activity = {"pg_stat_activity": "\n".join(samples)}
    assert found(activity, plain | choices) == set()
    formatter = logging.Formatter()
    logs = {f"log record {n}": formatter.format(r) for n, r in enumerate(caplog.records)}
    assert sum(1 for text in logs.values() if CAST_INSERT in text) == 12  # the log has the SQL
    written = [where for where, text in logs.items() if 'INSERT INTO "awards_ballot"' in text]
    assert len(written) == 1
    assert found(logs, plain) == set()
    assert found(logs, choices) == {(written[0], what) for what in choices}
    for texts in (before_close, after_close, after_count, activity, logs):
        assert found(texts, secrets_) == set()

    # The plain ballots: one transaction of their own, the decryption's (which erased the key
    # in it), that wrote or replaced no row version of a sealed ballot, a code or an issuance.
    ballot_xids = sql("SELECT DISTINCT xmin::text FROM awards_ballot")
    assert ballot_xids == sql("SELECT xmin::text FROM awards_poll WHERE id = %s", [poll.pk])
    for table in ("awards_sealedballot", "awards_ballotcode", "awards_issuance"):
        assert ballot_xids[0][0] not in page_xids(table), table
    # No column to link them by.
    assert sorted(
        sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'awards_ballot'")
    ) == [("blank",), ("choices",), ("id",), ("poll_id",)]
    assert sql(
        "SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
        "WHERE c.conrelid = 'awards_ballot'::regclass AND c.contype = 'f'"
    ) == [("poll_id", "awards_poll")]
    # As many ballots as casts, each as it was cast, and the tally is what was cast.
    assert sql("SELECT count(*) FROM awards_ballot") == [(12,)]
    assert sorted(json.loads(c) for (c,) in sql("SELECT choices::text FROM awards_ballot")) == (
        sorted(picks)
    )
    cast_tally = Counter(option for pick in picks for option in pick)
    assert dict(
        sql(
            "SELECT e.value::int, count(*) FROM awards_ballot b, "
            "jsonb_array_elements(b.choices) e GROUP BY 1"
        )
    ) == dict(cast_tally)
    outcome = counting.count(poll=Poll.objects.get(pk=poll.pk), with_paper=False)
    assert {r.option_id: r.votes for r in outcome.options} == {i: cast_tally[i] for i in ids}
    assert sql("SELECT sealed_key IS NULL FROM awards_poll WHERE id = %s", [poll.pk]) == [(True,)]


def one_letter_changed(share: str, index: int) -> str:
    """The share with its index-th letter replaced: the top bit of the letter's five flipped,
    which is always a bit of the share (the last letter's two low bits are padding)."""
    positions = [i for i, c in enumerate(share) if i > share.index("-") and c != "-"]
    at = positions[index]
    return share[:at] + BASE32[BASE32.index(share[at]) ^ 16] + share[at + 1 :]


@pytest.mark.django_db
def test_fewer_shares_than_needed_decrypt_nothing_and_a_wrong_share_is_refused_by_name():
    poll, options, _ = make_poll(n_delegates=6)
    members = committee_of(poll, ["Trần Văn Kiểm", "Lê Thị Phiếu", "Phạm Văn Thùng"])
    polls.open_poll(poll=poll)
    shares = collect_shares(poll, 3)
    for code in make_cards(poll, 2):
        polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk])
    polls.close_poll(poll=poll)
    poll.refresh_from_db()
    assert poll.shares_needed == 2

    def untouched():
        assert Ballot.objects.count() == 0
        assert sql(
            "SELECT sealed_key IS NOT NULL, electronic_counted_at IS NULL FROM awards_poll "
            "WHERE id = %s",
            [poll.pk],
        ) == [(True, True)]

    with translation.override("en"):
        for fewer in ([shares[0]], [shares[1], shares[1].lower().replace("-", " ")]):
            with pytest.raises(ValidationError) as refused:
                keys.decrypt(poll=poll, shares=fewer)
            assert refused.value.messages == [
                "2 different key shares are needed to decrypt; 1 given."
            ]
        untouched()
        number, _share = sealing.read_share(shares[1])
        holder = KeyShare.objects.get(poll=poll, number=number).holder_id
        name = next(m.full_name for m in members if m.user_id == holder)
        for index in range(26):
            with pytest.raises(ValidationError) as refused:
                keys.decrypt(poll=poll, shares=[shares[0], one_letter_changed(shares[1], index)])
            assert refused.value.messages == [
                f"The share of {name} (number {number}) is wrong: check it and type it again."
            ]
        untouched()
    assert keys.decrypt(poll=poll, shares=[shares[2], shares[1]]) == 2
    assert Ballot.objects.count() == 2
    assert sql("SELECT sealed_key IS NULL FROM awards_poll WHERE id = %s", [poll.pk]) == [(True,)]


@pytest.mark.django_db
def test_only_the_committee_collects_shares_and_decrypts(client):
    poll, options, delegates = make_poll(n_delegates=5)
    [member] = committee_of(poll, ["Trần Văn Kiểm"])
    delegate = UserFactory()  # a delegate of the conference, not on the committee
    delegates[1].user = delegate
    delegates[1].save()
    outsider = UserFactory()  # no role in the cluster
    polls.open_poll(poll=poll)
    polls.cast_with_code(poll=poll, code=make_cards(poll, 1)[0], choices=[options[0].pk])
    share_url = reverse("awards:poll_share", kwargs={"poll": poll.uuid})
    decrypt_url = reverse("awards:poll_decrypt", kwargs={"poll": poll.uuid})
    login = resolve_url(django_settings.LOGIN_URL)

    def refused_to_all(share_text: str):
        client.logout()
        for response, url in (
            (client.post(share_url), share_url),
            (client.get(decrypt_url), decrypt_url),
            (client.post(decrypt_url, {"shares": share_text}), decrypt_url),
        ):
            assert (response.status_code, response["Location"]) == (302, f"{login}?next={url}")
        for user in (outsider, delegate):
            client.force_login(user)
            assert client.post(share_url).status_code == 403
            assert client.get(decrypt_url).status_code == 403
            assert client.post(decrypt_url, {"shares": share_text}).status_code == 403

    refused_to_all("1-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA")
    assert KeyShare.objects.get(poll=poll).collected_at is None  # nothing was handed out
    client.force_login(member.user)
    response = client.post(share_url)
    assert response.status_code == 200
    share = response.context["share"]
    assert KeyShare.objects.get(poll=poll).collected_at is not None
    response = client.post(share_url)  # once only: back to the poll with a message
    assert (response.status_code, response["Location"]) == (302, poll.get_absolute_url())

    polls.close_poll(poll=poll)
    refused_to_all(share)  # the right share, from the wrong people
    assert Ballot.objects.count() == 0
    assert Poll.objects.get(pk=poll.pk).electronic_counted_at is None
    client.force_login(member.user)
    assert client.get(decrypt_url).status_code == 200
    response = client.post(decrypt_url, {"shares": share})
    assert (response.status_code, response["Location"]) == (302, poll.get_absolute_url())
    assert Ballot.objects.count() == 1
    assert Poll.objects.get(pk=poll.pk).electronic_counted_at is not None
