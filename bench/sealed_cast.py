"""The sealed cast next to a plain one, in the same run, in process (no HTTP).

Issue 11's benchmark. Both casts do what a cast does in the database: lock the poll, consume the
card's code with a conditional UPDATE, insert the ballot, in one transaction. The sealed one is
the app's (awards.services.polls.cast_with_code: encode, seal to the poll's X25519 key, derive
the tracker, insert a SealedBallot); the plain one inserts the choices as a Ballot row, as the
app did before ballots were sealed. Then the decryption of all the sealed ballots is timed
(awards.services.keys.decrypt). Prints p50 and p95 per cast and the decryption's total; asserts
nothing.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/emulation_ballots_bench \\
        REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/sealed_cast.py [--ballots 500]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ballots import build  # noqa: E402 - sets Django up on bench.settings_ballots
from benchdb import recreate_database  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402


def plain_cast(poll, code: str, choices: list[int]) -> None:
    from awards.models import Ballot, BallotCode, Poll
    from awards.services import polls

    with transaction.atomic():
        Poll.objects.select_for_update().get(pk=poll.pk)
        used = BallotCode.objects.filter(
            poll=poll, code_hash=polls.code_hash(code), consumed=False, spare_number=None
        ).update(consumed=True)
        assert used == 1
        Ballot.objects.create(poll=poll, choices=sorted(choices), blank=not choices)


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=500)
    args = parser.parse_args()
    recreate_database()
    poll, codes, option_ids = build(2 * args.ballots)
    choices = [int(i) for i in option_ids[:3]]
    from awards import sealing
    from awards.models import KeyShare
    from awards.services import keys, polls

    sealed_codes, plain_codes = codes[: args.ballots], codes[args.ballots :]
    times: dict[str, list[float]] = {"sealed": [], "plain": []}
    for sealed_code, plain_code in zip(sealed_codes, plain_codes, strict=True):  # interleaved
        start = time.perf_counter()
        polls.cast_with_code(poll=poll, code=sealed_code, choices=choices)
        times["sealed"].append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_cast(poll, plain_code, choices)
        times["plain"].append(time.perf_counter() - start)
    # The poll has no committee here: its one share waits for whoever runs it.
    share = KeyShare.objects.get(poll=poll)
    text = sealing.open_delivery(
        secret=settings.SECRET_KEY,
        poll_id=poll.uuid.bytes,
        holder=share.number,
        sealed=bytes(share.waiting),
    )
    polls.close_poll(poll=poll)
    poll.refresh_from_db()
    start = time.perf_counter()
    decrypted = keys.decrypt(poll=poll, shares=[text])
    decrypt_time = time.perf_counter() - start
    print(f"{args.ballots} casts of each kind, interleaved, one process, PostgreSQL on loopback")
    for kind, values in times.items():
        print(f"  {kind:6} cast: p50 {pct(values, 50):6.2f} ms   p95 {pct(values, 95):6.2f} ms")
    print(f"  decryption of {decrypted} sealed ballots: {decrypt_time * 1000:.0f} ms in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
