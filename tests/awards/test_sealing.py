"""The cryptography of the secret ballot, on its own (awards.sealing): a ballot opens only with
the poll's private key, the key only with enough shares, and nothing is bound to another poll."""

import uuid

import pytest

from awards import sealing

POLL = uuid.uuid4().bytes
OPTIONS = [11, 12, 13, 14, 15]


def opened_key(key, shares):
    return sealing.unseal_private(
        poll_id=POLL,
        sealed_private=key.sealed_private,
        shares=[sealing.read_share(s) for s in shares],
    )


def test_a_ballot_opens_with_any_two_of_three_shares_and_not_with_one():
    key = sealing.new_key(poll_id=POLL, holders=3, threshold=2)
    assert len(key.shares) == 3 and len(key.public) == 32
    plaintext = sealing.encode_choices(OPTIONS, {12: "for", 15: "for"})
    sealed = sealing.seal(public=key.public, poll_id=POLL, plaintext=plaintext)
    for pair in ([0, 1], [0, 2], [1, 2]):
        private = opened_key(key, [key.shares[i] for i in pair])
        opened = sealing.unseal(private=private, poll_id=POLL, sealed=sealed)
        assert sealing.decode_choices(OPTIONS, opened) == {12: "for", 15: "for"}
    for single in key.shares:
        with pytest.raises(sealing.Undecryptable):
            opened_key(key, [single])


def test_every_ballot_of_a_poll_has_the_same_length_and_a_different_ciphertext():
    key = sealing.new_key(poll_id=POLL, holders=1, threshold=1)
    ballots = [
        {},
        {11: "for"},
        {11: "for", 12: "for", 13: "for", 14: "for", 15: "for"},
        {11: "against", 13: "abstain"},
    ]
    sealed = [
        sealing.seal(public=key.public, poll_id=POLL, plaintext=sealing.encode_choices(OPTIONS, b))
        for b in ballots + [{11: "for"}]
    ]
    assert {len(s) for s in sealed} == {32 + 12 + len(OPTIONS) + 16}
    assert len(set(sealed)) == 5  # the same choices twice seal differently
    assert len({sealing.tracker(s) for s in sealed}) == 5


def test_a_ballot_sealed_for_another_poll_or_altered_does_not_open():
    key = sealing.new_key(poll_id=POLL, holders=1, threshold=1)
    private = opened_key(key, key.shares)
    sealed = sealing.seal(
        public=key.public, poll_id=POLL, plaintext=sealing.encode_choices(OPTIONS, {11: "for"})
    )
    with pytest.raises(sealing.Undecryptable):
        sealing.unseal(private=private, poll_id=uuid.uuid4().bytes, sealed=sealed)
    altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(sealing.Undecryptable):
        sealing.unseal(private=private, poll_id=POLL, sealed=altered)
    with pytest.raises(sealing.Undecryptable):
        sealing.decode_choices(OPTIONS, b"\x01\x09\x00\x00\x00")  # no such answer


def test_shares_read_back_whatever_the_case_and_spacing():
    key = sealing.new_key(poll_id=POLL, holders=3, threshold=2)
    share = key.shares[1]
    assert share.startswith("2-") and len(share.replace("-", "")) == 27
    number, raw = sealing.read_share(share)
    assert sealing.read_share(" " + share.lower().replace("-", " ") + "\n") == (number, raw)
    for bad in ("", "2-ABCD", "X-" + share[2:], share + "ZZ"):
        with pytest.raises(sealing.BadShare):
            sealing.read_share(bad)


def test_a_waiting_share_opens_only_with_the_servers_secret_for_its_poll_and_holder():
    sealed = sealing.seal_for_delivery(secret="s1", poll_id=POLL, holder=2, share="2-ABCD")
    assert sealing.open_delivery(secret="s1", poll_id=POLL, holder=2, sealed=sealed) == "2-ABCD"
    for secret, holder in (("s2", 2), ("s1", 3)):
        with pytest.raises(sealing.Undecryptable):
            sealing.open_delivery(secret=secret, poll_id=POLL, holder=holder, sealed=sealed)


def test_trackers_are_shown_in_groups_and_read_back():
    sealed = b"x" * 60
    tracker = sealing.tracker(sealed)
    shown = sealing.show_tracker(tracker)
    assert len(tracker) == 16 and shown.count("-") == 3
    assert sealing.read_tracker(shown.lower()) == tracker
