"""The cryptography of the secret ballot, and nothing else (no models, no database).

Each poll has its own X25519 key pair, made when it opens. A ballot is sealed to the poll's
public key: an ephemeral X25519 agreement, HKDF-SHA256, then AES-256-GCM over the choices
encoded at a fixed length (one byte per name on the ballot), with the poll's id as associated
data, so a ballot cannot be moved to another poll. The private key is kept only encrypted
(AES-256-GCM) under a random 16-byte key; that key is split with Shamir's scheme into one share
per committee member, any `threshold` of which rebuild it. The primitives come from
`cryptography` (X25519, HKDF, AES-GCM) and pycryptodome (Shamir over GF(2^128)).

A ballot's tracker is derived from its ciphertext: the voter can find it in the list of
trackers counted, and it says nothing of the choices.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass

from Crypto.Protocol.SecretSharing import Shamir
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE = 12
RAW = serialization.Encoding.Raw
# The choice for each name on the ballot, one byte each.
NOTHING, FOR, AGAINST, ABSTAIN = 0, 1, 2, 3
ANSWER_BYTES = {"for": FOR, "against": AGAINST, "abstain": ABSTAIN}
BYTE_ANSWERS = {v: k for k, v in ANSWER_BYTES.items()}
TRACKER_LENGTH = 16  # base32 letters of the ciphertext's SHA-256: 80 bits


class BadShare(ValueError):
    """A share that is not well formed, or does not match the one handed out."""


class Undecryptable(ValueError):
    """A sealed ballot or key that does not decrypt: altered, or sealed for another poll."""


@dataclass(frozen=True)
class PollKey:
    public: bytes  # 32 bytes, stored
    sealed_private: bytes  # nonce + AES-GCM of the private key, stored until the count
    shares: list[str]  # one per holder, shown once, never stored


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _decrypt(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE], sealed[NONCE:], aad)
    except (InvalidTag, ValueError) as error:
        raise Undecryptable from error


def new_key(*, poll_id: bytes, holders: int, threshold: int) -> PollKey:
    """A key pair for a poll; the private key sealed under a key split into `holders` shares."""
    if not 1 <= threshold <= holders:
        raise ValueError("the threshold must be between 1 and the number of holders")
    private = X25519PrivateKey.generate()
    master = secrets.token_bytes(16)
    sealed = _encrypt(
        _derive(master, b"poll-private-key"),
        private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()),
        poll_id,
    )
    pieces = Shamir.split(threshold, holders, master, ssss=False)
    public = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return PollKey(public=public, sealed_private=sealed, shares=[_write(i, s) for i, s in pieces])


def _write(number: int, share: bytes) -> str:
    letters = base64.b32encode(share).decode().rstrip("=")  # 26 letters
    groups = [letters[i : i + 4] for i in range(0, len(letters), 4)]
    return f"{number}-" + "-".join(groups)


def read_share(text: str) -> tuple[int, bytes]:
    """(number, share) from a share as typed: case, spaces and dashes do not matter."""
    parts = text.upper().replace("-", " ").split()
    if len(parts) > 1:  # the number is what comes before the first dash or space
        number, letters = parts[0], "".join(parts[1:])
    else:  # typed in one piece: the letters are the last 26 (they may hold digits 2 to 7)
        cleaned = "".join(parts)
        number, letters = cleaned[:-26], cleaned[-26:]
    if not number.isdigit() or len(letters) != 26:
        raise BadShare(text)
    try:
        share = base64.b32decode(letters + "======")
    except ValueError as error:
        raise BadShare(text) from error
    return int(number), share


def share_fingerprint(*, poll_id: bytes, number: int, share: bytes) -> str:
    """What is stored of a share: enough to refuse a wrong one by its holder's name. The share
    is 128 random bits, so its hash cannot be reversed by trying."""
    return hashlib.sha256(b"key-share|" + poll_id + number.to_bytes(2, "big") + share).hexdigest()


def unseal_private(*, poll_id: bytes, sealed_private: bytes, shares: list[tuple[int, bytes]]):
    """The private key, rebuilt in memory from enough shares."""
    master = Shamir.combine(shares, ssss=False)
    raw = _decrypt(_derive(master, b"poll-private-key"), sealed_private, poll_id)
    return X25519PrivateKey.from_private_bytes(raw)


def encode_choices(option_ids: list[int], choices: dict[int, str]) -> bytes:
    """The choices as one byte per name on the ballot, in ballot order: the same length for
    every ballot of a poll."""
    return bytes(ANSWER_BYTES[choices[o]] if o in choices else NOTHING for o in option_ids)


def decode_choices(option_ids: list[int], plaintext: bytes) -> dict[int, str]:
    if len(plaintext) != len(option_ids) or any(b not in BYTE_ANSWERS for b in plaintext if b):
        raise Undecryptable("not a ballot of this poll")
    return {o: BYTE_ANSWERS[b] for o, b in zip(option_ids, plaintext, strict=True) if b}


def seal(*, public: bytes, poll_id: bytes, plaintext: bytes) -> bytes:
    """ephemeral public key (32) + nonce (12) + ciphertext and tag."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    mine = ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return mine + _encrypt(_derive(shared, b"ballot|" + mine + public), plaintext, poll_id)


def unseal(*, private: X25519PrivateKey, poll_id: bytes, sealed: bytes) -> bytes:
    theirs = sealed[:32]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(theirs))
    except ValueError as error:
        raise Undecryptable from error
    public = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return _decrypt(_derive(shared, b"ballot|" + theirs + public), sealed[32:], poll_id)


def tracker(sealed: bytes) -> str:
    """16 base32 letters of the ciphertext's SHA-256, shown as XXXX-XXXX-XXXX-XXXX."""
    return base64.b32encode(hashlib.sha256(sealed).digest()).decode()[:TRACKER_LENGTH]


def show_tracker(value: str) -> str:
    return "-".join(value[i : i + 4] for i in range(0, len(value), 4))


def read_tracker(text: str) -> str:
    return "".join(text.upper().split()).replace("-", "")


def seal_for_delivery(*, secret: str, poll_id: bytes, holder: int, share: str) -> bytes:
    """A share waiting to be collected by its holder, sealed under a key derived from the
    server's secret (which is not in the database), so a database reader cannot use it."""
    key = _derive(secret.encode(), b"key-share-delivery")
    return _encrypt(key, share.encode(), poll_id + b"|" + str(holder).encode())


def open_delivery(*, secret: str, poll_id: bytes, holder: int, sealed: bytes) -> str:
    key = _derive(secret.encode(), b"key-share-delivery")
    return _decrypt(key, sealed, poll_id + b"|" + str(holder).encode()).decode()
