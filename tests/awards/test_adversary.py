"""The database administrator as adversary: ballots cast by card and by account at once, then
the whole database read with SQL alone (every table with its system columns, the dead row
versions in the ballot tables' pages, the activity view sampled during the casts) and the logs,
before the close, after it and after the decryption. Nothing there holds a ballot's content
next to a code, a tracker, an issuance or a person; the plain ballots, written at the
decryption, share one transaction of their own. And the shares: fewer than needed cannot
decrypt, a wrong one is refused by its holder's name, and none stays in the database.

What is searched for is each ballot as it is sealed (awards.sealing.encode_choices, one byte per
name), in the hexadecimal form PostgreSQL prints bytes in, and in the JSON of the plain ballots.
"""

import json
import logging
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from awards import sealing
from awards.models import Ballot, Issuance, KeyShare, Poll
from awards.services import keys, polls
from tests.awards.factories import check_in, collect_shares, make_cards, make_poll
from tests.clusters.factories import UserFactory

BALLOT_TABLES = ["awards_sealedballot", "awards_ballot", "awards_ballotcode", "awards_issuance"]


def sql(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def dump() -> dict[str, str]:
    """Every table of the public schema as text, with xmin and ctid; and the four ballot
    tables' pages, dead row versions included (pageinspect)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    tables = [
        name
        for (name,) in sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    out = {}
    for table in tables:
        rows = sql(f'SELECT xmin::text, ctid::text, t::text FROM "{table}" t')
        out[table] = "\n".join(" ".join(row) for row in rows)
    for table in BALLOT_TABLES:
        blocks = sql("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])
        items = []
        for block in range(blocks[0][0]):
            items += sql(
                "SELECT t_xmin::text, encode(t_data, 'hex') FROM "
                "heap_page_items(get_raw_page(%s, %s)) WHERE t_data IS NOT NULL",
                [table, block],
            )
        out[f"pages:{table}"] = "\n".join(" ".join(item) for item in items)
    return out


def page_xmins(table: str) -> set[str]:
    """The transaction ids of every row version in the table's pages, live or dead."""
    xmins = set()
    blocks = sql("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])
    for block in range(blocks[0][0]):
        xmins |= {
            x
            for (x,) in sql(
                "SELECT t_xmin::text FROM heap_page_items(get_raw_page(%s, %s)) "
                "WHERE t_xmin IS NOT NULL",
                [table, block],
            )
        }
    return xmins


@pytest.mark.django_db(transaction=True)
def test_the_database_and_the_logs_link_no_ballot_to_a_voter(caplog):
    caplog.set_level(logging.DEBUG)
    poll, options, delegates = make_poll(n_delegates=12, seats=3)
    members = [UserFactory() for _ in range(3)]
    for person, user in zip(delegates[:3], members, strict=True):
        person.user = user
        person.save()
    poll.conference.counting_committee.set(delegates[:3])
    voters = delegates[6:]
    for person in voters:
        person.user = UserFactory()
        person.save()
    check_in(poll, voters, Issuance.ACCOUNT)
    polls.open_poll(poll=poll)
    poll.refresh_from_db()
    assert poll.shares_needed == 2
    shares = collect_shares(poll, 3)
    codes = make_cards(poll, 6)
    ids = [o.pk for o in options]
    # Twelve ballots, each a different set of three names.
    picks = [sorted({ids[i % 12], ids[(i * 5 + 1) % 12], ids[(i * 7 + 2) % 12]}) for i in range(12)]
    plain = [sealing.encode_choices(ids, dict.fromkeys(p, "for")).hex() for p in picks]

    samples: list[str] = []
    casting = threading.Event()
    casting.set()

    def sample():
        with connections["default"].cursor() as cursor:
            while casting.is_set():
                cursor.execute("SELECT coalesce(query, '') FROM pg_stat_activity")
                samples.extend(q for (q,) in cursor.fetchall())
        connections["default"].close()

    barrier = threading.Barrier(12)
    errors = []

    def cast(index: int):
        try:
            barrier.wait()
            if index < 6:
                polls.cast_with_code(poll=poll, code=codes[index], choices=picks[index])
            else:
                polls.cast_with_account(poll=poll, person=voters[index - 6], choices=picks[index])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections["default"].close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=cast, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    casting.clear()
    sampler.join()
    assert errors == []
    assert len(samples) > 12

    def leaks(texts: dict[str, str]) -> list[str]:
        return [
            f"{where}: ballot {n}"
            for where, text in texts.items()
            for n, hex_ in enumerate(plain)
            if hex_ in text
        ]

    share_texts = [s.split("-", 1)[1].replace("-", "") for s in shares]
    share_hexes = [sealing.read_share(s)[1].hex() for s in shares]

    def secrets_in(texts: dict[str, str]) -> list[str]:
        return [
            where
            for where, text in texts.items()
            for secret in share_texts + share_hexes
            if secret in text or secret.lower() in text
        ]

    before_close = dump()
    assert before_close["awards_ballot"] == ""
    polls.close_poll(poll=poll)
    after_close = dump()
    with pytest.raises(ValidationError):
        keys.decrypt(poll=Poll.objects.get(pk=poll.pk), shares=shares[:1])
    assert Ballot.objects.count() == 0
    mistyped = shares[1][:-1] + ("A" if shares[1][-1] != "A" else "B")
    with pytest.raises(ValidationError) as refused:
        keys.decrypt(poll=Poll.objects.get(pk=poll.pk), shares=[shares[0], mistyped])
    holder = KeyShare.objects.get(poll=poll, number=2).holder.person.full_name
    assert holder in " ".join(refused.value.messages)
    assert Ballot.objects.count() == 0
    assert keys.decrypt(poll=Poll.objects.get(pk=poll.pk), shares=[shares[0], shares[2]]) == 12
    after_count = dump()

    logs = {"logs": "\n".join(r.getMessage() for r in caplog.records)}
    activity = {"pg_stat_activity": "\n".join(samples)}
    for texts in (before_close, after_close, after_count, logs, activity):
        assert leaks(texts) == []
        assert secrets_in(texts) == []

    # The plain ballots: what was cast, in one transaction of their own, with no link.
    assert sorted(json.loads(c) for (c,) in sql("SELECT choices::text FROM awards_ballot")) == (
        sorted(picks)
    )
    # The search does read the rows: each plain ballot's JSON is found in awards_ballot's dump,
    # and in no other table.
    for pick in picks:
        found = [t for t, text in after_count.items() if json.dumps(pick) in text]
        assert found == ["awards_ballot"]
    ballot_xmins = {x for (x,) in sql("SELECT xmin::text FROM awards_ballot")}
    assert len(ballot_xmins) == 1
    for table in ("awards_sealedballot", "awards_ballotcode", "awards_issuance"):
        assert not ballot_xmins & page_xmins(table), table
    columns = [
        c
        for (c,) in sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'awards_ballot'"
        )
    ]
    assert sorted(columns) == ["blank", "choices", "id", "poll_id"]
    assert sql("SELECT sealed_key IS NULL FROM awards_poll WHERE id = %s", [poll.pk]) == [(True,)]
    assert sql("SELECT count(*) FROM awards_keyshare WHERE waiting IS NOT NULL") == [(0,)]


@pytest.mark.django_db
def test_only_the_committee_collects_shares_and_decrypts(client):
    poll, options, delegates = make_poll(n_delegates=5)
    member, other = UserFactory(), UserFactory()
    delegates[0].user, delegates[1].user = member, other
    delegates[0].save()
    delegates[1].save()
    poll.conference.counting_committee.set([delegates[0]])
    polls.open_poll(poll=poll)
    share = reverse("awards:poll_share", kwargs={"poll": poll.uuid})
    decrypt = reverse("awards:poll_decrypt", kwargs={"poll": poll.uuid})
    for url in (share, decrypt):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (UserFactory(), other):  # an outsider; a delegate not on the committee
        client.force_login(user)
        assert client.post(share).status_code == 403
        assert client.get(decrypt).status_code == 403
    assert KeyShare.objects.get(poll=poll).collected_at is None
    client.force_login(member)
    response = client.post(share)
    assert response.status_code == 200
    assert KeyShare.objects.get(poll=poll).collected_at is not None
    assert client.post(share).status_code == 302  # once only: back to the poll with a message
