"""500 ballots cast by concurrent clients against gunicorn and PostgreSQL on loopback.

Issue 4's benchmark: the time per ballot (the whole flow of the card-code voting page: GET the
page, POST the code and choices to get the confirmation, POST the confirmation to cast), p50
and p95, next to a bare Django view on the same server under the same concurrency in the same
run; then the ballots in the database are counted: lost ballots (accepted but not stored) and
double ballots (stored more than codes consumed) must both be 0. Meanwhile other clients try
codes that were already used, through the page and straight at the cast step: all must be
refused. The ballots cast over HTTP are sealed (issue 11: open_poll makes the poll's key); at
the end the poll is closed and they are decrypted (timed), and the decrypted ballots must be as
many as the sealed ones.

Issue 11's comparison, in the same run once gunicorn has stopped: in this process, on a second
poll of the same conference in the same database, N sealed casts (the app's
polls.cast_with_code: lock, validate, consume the code, encode, seal, tracker, insert a
SealedBallot) interleaved with N plain casts (the same steps with the choices inserted as a
Ballot row instead, as before sealing), and the sealing alone (encode, seal, tracker; no
database), p50 and p95 each.

Run from the project root, on a PostgreSQL database of its own (dropped and re-created each
run; its name must end in "_bench"):

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/emulation_ballots_bench \\
        REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/ballots.py \\
        [--ballots 500] [--clients 20] [--workers 3] [--reusers 4] [--service-casts 200]

HTTP uses only the standard library (http.client, one connection per request as gunicorn's
sync workers close them anyway). Each client keeps its own cookies, so the voting page sees it
as a device of its own: wrong codes are counted per device (a signed cookie; the reuse clients
stay under its limit of 10) and per poll for the whole room, whose budget
(VOTE_ROOM_FAILED_BUDGET) bench/settings_ballots.py raises so that the reuse clients' refusals
never pause code entry for the honest ones. Each client also binds its own loopback source
address (127.0.0.x), as separate phones would have. Measures; asserts nothing, but exits 1 when
a ballot was lost or doubled, a used code was accepted or the decryption did not give back
every sealed ballot.
"""

import argparse
import html
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_ballots"
os.environ.setdefault("BENCH_CACHE_PREFIX", f"bench-ballots-{os.getpid()}-{int(time.time())}")

import django  # noqa: E402

django.setup()

from benchdb import recreate_database  # noqa: E402
from django.db import connection, connections  # noqa: E402

HOST = "127.0.0.1"
TIMEOUT = 60  # seconds, per request
N_OPTIONS = 10
SEATS = 3
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def build(n_codes: int, holders: int | None = None):
    """A conference of a cluster of 10 units and an open 'choose up to 3' poll with n_codes
    codes; `holders` delegates checked in on cards (n_codes by default), so that later polls of
    the conference can have cards too."""
    import datetime

    from django.utils import timezone

    from awards.models import CheckIn, Issuance, Poll, PollOption
    from awards.services import polls
    from clusters.models import Cluster, ClusterYear, Conference, Membership, Person, Unit

    cluster = Cluster.objects.create(number=98, name="Cụm thi đua đo hiệu năng bỏ phiếu")
    cluster_year = ClusterYear.objects.create(
        cluster=cluster, year=2021, status=ClusterYear.Status.IN_PROGRESS
    )
    conference = Conference.objects.create(
        cluster_year=cluster_year,
        kind=Conference.YEAR_END,
        title="Hội nghị tổng kết năm 2021",
        date=datetime.date(2021, 12, 4),
        place="Bà Rịa - Vũng Tàu",
    )
    poll = Poll.objects.create(
        conference=conference,
        question="Đề nghị tặng Cờ thi đua",
        kind=Poll.CHOOSE,
        seats=SEATS,
        threshold_base=Poll.VALID,
    )
    for i in range(N_OPTIONS):
        unit = Unit.objects.create(
            name=f"Ban Tổ chức Tỉnh ủy Tỉnh {i + 1}", short_name=f"Tỉnh {i + 1}", province=str(i)
        )
        Membership.objects.create(cluster=cluster, unit=unit, start_year=2018)
        PollOption.objects.create(poll=poll, label=unit.short_name, unit=unit, position=i)
    # One delegate per card, checked in on cards for the conference before the poll opens.
    people = Person.objects.bulk_create(
        Person(full_name=f"Đại biểu {i + 1}", unit=unit) for i in range(holders or n_codes)
    )
    conference.delegates.set(people)
    CheckIn.objects.bulk_create(
        CheckIn(
            conference=conference, person=p, channel=Issuance.CARD, checked_in_at=timezone.now()
        )
        for p in people
    )
    polls.open_poll(poll=poll)
    codes = polls.make_codes(poll=poll, count=n_codes)
    option_ids = [str(pk) for pk in poll.options.values_list("pk", flat=True)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return poll, codes, option_ids


def second_poll(poll, n_codes: int):
    """Another open poll of the same conference, on the same units, with n_codes codes for the
    delegates checked in on cards."""
    from awards.models import Poll, PollOption
    from awards.services import polls

    other = Poll.objects.create(
        conference=poll.conference,
        question="Đề nghị tặng Bằng khen",
        kind=Poll.CHOOSE,
        seats=SEATS,
        threshold_base=Poll.VALID,
    )
    for option in poll.options.order_by("position"):
        PollOption.objects.create(
            poll=other, label=option.label, unit=option.unit, position=option.position
        )
    polls.open_poll(poll=other)
    codes = polls.make_codes(poll=other, count=n_codes)
    return other, codes, list(other.options.order_by("position").values_list("pk", flat=True))


def plain_cast(poll, code: str, choices: list[int]) -> None:
    """polls.cast_with_code as it was before ballots were sealed: the same lock, validation,
    code consumption and issued-ballots check, then the choices inserted as a Ballot row."""
    from django.db import transaction

    from awards.models import Ballot, BallotCode, Poll
    from awards.services import attendance, polls

    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        assert poll.is_open
        canonical, blank = polls.canonical_choices(poll, choices)
        used = BallotCode.objects.filter(
            poll=poll, code_hash=polls.code_hash(code), consumed=False, handed_out=True
        ).update(consumed=True)
        assert used == 1
        attendance.check_electronic(poll)
        Ballot.objects.create(poll=poll, choices=canonical, blank=blank)


def compare_casts(poll, n: int) -> dict[str, list[float]]:
    """N sealed casts (the app's) interleaved with N plain ones on a poll of their own, then N
    sealings alone (no database). Seconds per call."""
    from awards import sealing
    from awards.services import polls

    other, codes, option_ids = second_poll(poll, 2 * n)
    rng = random.Random(7)
    times: dict[str, list[float]] = {"sealed": [], "plain": [], "seal": []}
    for sealed_code, plain_code in zip(codes[:n], codes[n:], strict=True):
        choices = rng.sample(option_ids, rng.randint(1, SEATS))
        start = time.perf_counter()
        polls.cast_with_code(poll=other, code=sealed_code, choices=choices)
        times["sealed"].append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_cast(other, plain_code, choices)
        times["plain"].append(time.perf_counter() - start)
    other.refresh_from_db()
    public, poll_id = bytes(other.public_key), other.uuid.bytes
    for _ in range(n):
        choices = rng.sample(option_ids, rng.randint(1, SEATS))
        start = time.perf_counter()
        plaintext = sealing.encode_choices(option_ids, dict.fromkeys(choices, "for"))
        sealing.tracker(sealing.seal(public=public, poll_id=poll_id, plaintext=plaintext))
        times["seal"].append(time.perf_counter() - start)
    return times


def decrypt(poll) -> tuple[int, float]:
    """Close the poll and decrypt its sealed ballots with its one share (the bench's conference
    has no committee: whoever runs the poll holds the only share). (ballots, seconds)."""
    from awards.services import keys, polls

    polls.close_poll(poll=poll)
    poll.refresh_from_db()
    share = keys.collect_share(poll=poll, user=None)
    start = time.perf_counter()
    decrypted = keys.decrypt(poll=poll, shares=[share])
    return decrypted, time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Client:
    """One voter's browser, reduced: its own loopback address and cookies."""

    def __init__(self, port: int, source: str):
        self.port = port
        self.source = source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | list | None = None):
        conn = HTTPConnection(HOST, self.port, timeout=TIMEOUT, source_address=(self.source, 0))
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "vi"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, text
        finally:
            conn.close()


def wait_for_server(port: int, process: subprocess.Popen, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited while starting; see its log in the temporary directory.")
        try:
            status, _text = Client(port, HOST).request("GET", "/bench-bare/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s.")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.ballot_times: list[float] = []
        self.step_times: dict[str, list[float]] = {"get": [], "review": [], "cast": []}
        self.accepted: list[str] = []  # codes whose ballot was cast (done page with a receipt)
        self.failed: list[str] = []  # honest ballots that did not go through, with why
        self.reuse_tries = 0
        self.reuse_accepted = 0
        self.reuse_other: list[str] = []
        self.bare_times: list[float] = []
        self.races: list[list[str]] = []  # outcomes of the two casts of one code at once


def timed(results: Results, step: str, client: Client, method: str, path: str, body=None):
    start = time.perf_counter()
    status, text = client.request(method, path, body)
    with results.lock:
        results.step_times[step].append(time.perf_counter() - start)
    return status, text


def cast_ballot(client: Client, path: str, code: str, options: list[str], results: Results):
    """The whole flow through the real pages. Returns (outcome, seconds)."""
    start = time.perf_counter()
    status, text = timed(results, "get", client, "GET", path)
    token = CSRF_INPUT.search(text)
    if status != 200 or not token:
        return f"vote page {status}", 0.0
    fields = [("csrfmiddlewaretoken", html.unescape(token.group(1))), ("step", "review")]
    fields += [("code", code)] + [("option", o) for o in options]
    status, text = timed(results, "review", client, "POST", path, fields)
    if status != 200 or 'value="cast"' not in text:
        return f"review {status}", 0.0
    token = CSRF_INPUT.search(text)
    fields[0] = ("csrfmiddlewaretoken", html.unescape(token.group(1)))
    fields[1] = ("step", "cast")
    status, text = timed(results, "cast", client, "POST", path, fields)
    if status == 200 and "data-receipt" in text:
        return "accepted", time.perf_counter() - start
    return f"cast {status}", 0.0


def honest_client(n, port, path, queue, lock, option_ids, results: Results):
    client = Client(port, f"127.0.0.{10 + n}")
    rng = random.Random(n)
    while True:
        with lock:
            if not queue:
                return
            code = queue.pop()
        options = rng.sample(option_ids, rng.randint(1, SEATS))
        try:
            outcome, seconds = cast_ballot(client, path, code, options, results)
        except OSError as error:
            outcome, seconds = f"error {error}", 0.0
        with results.lock:
            if outcome == "accepted":
                results.accepted.append(code)
                results.ballot_times.append(seconds)
            else:
                results.failed.append(outcome)


def reuse_client(n, port, path, option_ids, results: Results, tries: int, stop: threading.Event):
    """Tries codes already accepted, alternately through the page and straight at the cast
    step (a replayed confirmation). Stays under the page's limit of failed codes per address."""
    client = Client(port, f"127.0.1.{10 + n}")
    rng = random.Random(1000 + n)
    done = 0
    deadline = time.monotonic() + 600
    while done < tries and time.monotonic() < deadline:
        with results.lock:
            used = list(results.accepted[-50:])
        if not used:
            if stop.is_set():
                return
            time.sleep(0.05)
            continue
        code = rng.choice(used)
        options = rng.sample(option_ids, 1)
        try:
            status, text = client.request("GET", path)
            token = html.unescape(CSRF_INPUT.search(text).group(1))
            step = "review" if done % 2 == 0 else "cast"
            fields = [("csrfmiddlewaretoken", token), ("step", step), ("code", code)]
            fields += [("option", o) for o in options]
            status, text = client.request("POST", path, fields)
        except (OSError, AttributeError) as error:
            with results.lock:
                results.reuse_other.append(f"error {error}")
            done += 1
            continue
        with results.lock:
            results.reuse_tries += 1
            if "data-receipt" in text or 'value="cast"' in text:
                results.reuse_accepted += 1
            elif status != 200 or "is-invalid" not in text:
                results.reuse_other.append(f"{step} {status}")
        done += 1
        time.sleep(rng.uniform(0.05, 0.3))


def racing_pair(n, port, path, code, option_ids, results: Results):
    """Two clients with the same code reach the confirmation, then both cast at once: one
    ballot must be stored, the other refused."""
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    outcomes = []

    def one(side):
        client = Client(port, f"127.0.2.{10 + 2 * n + side}")
        try:
            status, text = client.request("GET", path)
            token = html.unescape(CSRF_INPUT.search(text).group(1))
            fields = [("csrfmiddlewaretoken", token), ("step", "review"), ("code", code)]
            fields += [("option", option_ids[side])]
            status, text = client.request("POST", path, fields)
            token = html.unescape(CSRF_INPUT.search(text).group(1))
            fields[0], fields[1] = ("csrfmiddlewaretoken", token), ("step", "cast")
            barrier.wait()
            status, text = client.request("POST", path, fields)
            outcomes.append("accepted" if "data-receipt" in text else f"refused {status}")
        except (OSError, AttributeError, threading.BrokenBarrierError) as error:
            outcomes.append(f"error {error}")

    pair = [threading.Thread(target=one, args=(side,)) for side in (0, 1)]
    for t in pair:
        t.start()
    for t in pair:
        t.join(3 * TIMEOUT)
    with results.lock:
        results.races.append(outcomes)
        if "accepted" in outcomes:
            results.accepted.extend([code] * outcomes.count("accepted"))


def bare_client(n, port, per_client, results: Results):
    client = Client(port, f"127.0.0.{10 + n}")
    for _ in range(per_client):
        start = time.perf_counter()
        try:
            status, _text = client.request("GET", "/bench-bare/")
        except OSError:
            continue
        if status == 200:
            with results.lock:
                results.bare_times.append(time.perf_counter() - start)


def run_threads(threads: list[threading.Thread], limit: float) -> float:
    start = time.perf_counter()
    for t in threads:
        t.daemon = True
        t.start()
    deadline = time.monotonic() + limit
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    return time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--reusers", type=int, default=4)
    parser.add_argument("--races", type=int, default=10, help="codes cast twice at once")
    parser.add_argument("--reuse-tries", type=int, default=8, help="per reuse client (< 10)")
    parser.add_argument(
        "--service-casts", type=int, default=200, help="sealed and plain casts, each (in process)"
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 2 <= args.workers <= 8 or args.reuse_tries >= 10:
        sys.exit("--clients 1..200, --workers 2..8, --reuse-tries below 10.")

    recreate_database()
    n_codes = args.ballots + args.races
    poll, codes, option_ids = build(n_codes, holders=max(n_codes, 2 * args.service_casts))
    codes, race_codes = codes[: args.ballots], codes[args.ballots :]
    from django.urls import reverse

    path = reverse("awards:vote", kwargs={"poll": poll.uuid})
    connections.close_all()

    port = free_port()
    log_path = Path(tempfile.gettempdir()) / f"gunicorn-ballots-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "emulation.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--chdir",
            str(ROOT),
        ],
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings_ballots"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_server(port, gunicorn)
        results = Results()
        # Warm-up: every worker imports and renders once (bare view and the voting page).
        warm = Results()
        run_threads(
            [
                threading.Thread(target=bare_client, args=(i, port, 5, warm))
                for i in range(args.workers * 2)
            ],
            60,
        )
        for i in range(args.workers * 2):
            Client(port, f"127.0.0.{200 + i}").request("GET", path)

        # The bare view under the same concurrency.
        per_client = max(1, args.ballots // args.clients)
        bare_wall = run_threads(
            [
                threading.Thread(target=bare_client, args=(i, port, per_client, results))
                for i in range(args.clients)
            ],
            600,
        )

        # The ballots, with the reuse clients running alongside.
        queue = list(codes)
        queue_lock = threading.Lock()
        stop = threading.Event()
        honest = [
            threading.Thread(
                target=honest_client,
                args=(i, port, path, queue, queue_lock, option_ids, results),
            )
            for i in range(args.clients)
        ]
        reusers = [
            threading.Thread(
                target=reuse_client,
                args=(i, port, path, option_ids, results, args.reuse_tries, stop),
            )
            for i in range(args.reusers)
        ]
        for t in reusers:
            t.daemon = True
            t.start()
        racers = [
            threading.Thread(target=racing_pair, args=(i, port, path, code, option_ids, results))
            for i, code in enumerate(race_codes)
        ]
        ballots_wall = run_threads(honest + racers, 1200)
        stop.set()
        for t in reusers:
            t.join(120)
        # The bare view once more, after the ballots (is the server in the same state?).
        after = Results()
        run_threads(
            [
                threading.Thread(target=bare_client, args=(i, port, per_client, after))
                for i in range(args.clients)
            ],
            600,
        )
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait(10)
        log.close()

    from awards.models import Ballot, BallotCode, SealedBallot

    stored = SealedBallot.objects.filter(poll=poll).count()
    consumed = BallotCode.objects.filter(poll=poll, consumed=True).count()
    trackers = SealedBallot.objects.filter(poll=poll).values("tracker").distinct().count()
    decrypted, decrypt_seconds = decrypt(poll)
    plain_rows = Ballot.objects.filter(poll=poll).count()
    casts = compare_casts(poll, args.service_casts)
    accepted = len(results.accepted)
    distinct = len(set(results.accepted))
    lost = accepted - stored
    double = stored - consumed

    import django as dj
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    print(
        f"{args.ballots} ballots, {args.clients} concurrent clients, gunicorn {args.workers} sync "
        f"workers on {HOST}, PostgreSQL {pg}, Django {dj.get_version()}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)"
    )
    print()
    print(f"{'':34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'x bare p50':>12}")
    print("-" * 72)
    bare50 = pct(results.bare_times, 50)
    rows = [
        ("bare Django view", results.bare_times),
        ("ballot, whole flow (3 requests)", results.ballot_times),
        ("  GET the voting page", results.step_times["get"]),
        ("  POST code + choices (confirm)", results.step_times["review"]),
        ("  POST the confirmation (cast)", results.step_times["cast"]),
        ("bare Django view, after", after.bare_times),
    ]
    for label, values in rows:
        p50 = pct(values, 50)
        print(
            f"{label:34}{len(values):>6}{p50:>10.1f}{pct(values, 95):>10.1f}{p50 / bare50:>12.1f}"
        )
    print()
    print(
        f"wall time: bare {bare_wall:.1f} s, ballots {ballots_wall:.1f} s "
        f"({accepted / ballots_wall:.1f} ballots/s)"
    )
    print(
        f"ballots accepted (tracker shown)      {accepted:>5}  (distinct codes {distinct}; "
        f"{len(results.ballot_times)} timed + the racing codes)"
    )
    print(f"honest ballots not accepted           {len(results.failed):>5}  {results.failed[:5]}")
    print(f"sealed ballots stored / trackers      {stored:>5} / {trackers}")
    print(f"codes consumed                        {consumed:>5}")
    print(f"lost ballots (accepted - stored)      {lost:>5}")
    print(f"double ballots (stored - consumed)    {double:>5}")
    print(
        f"used codes tried again                {results.reuse_tries:>5}  "
        f"accepted: {results.reuse_accepted}, other answers: {results.reuse_other[:5]}"
    )
    both = sum(1 for r in results.races if r.count("accepted") > 1)
    print(
        f"same code cast twice at once          {len(results.races):>5}  "
        f"one accepted: {sum(1 for r in results.races if r.count('accepted') == 1)}, "
        f"both: {both}"
    )
    print(
        f"decrypted after the close             {decrypted:>5}  ({plain_rows} plain ballots "
        f"written; keys.decrypt took {decrypt_seconds * 1000:.0f} ms in all)"
    )
    print()
    print(
        f"The cast in process, on a poll of its own in the same database: "
        f"{args.service_casts} of each kind, interleaved"
    )
    print(f"{'':34}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'x plain p50':>13}")
    print("-" * 73)
    plain50 = pct(casts["plain"], 50)
    for label, values in (
        ("sealed cast (polls.cast_with_code)", casts["sealed"]),
        ("plain cast (a Ballot row instead)", casts["plain"]),
        ("  sealing alone (no database)", casts["seal"]),
    ):
        p50 = pct(values, 50)
        print(
            f"{label:34}{len(values):>6}{p50:>10.2f}{pct(values, 95):>10.2f}{p50 / plain50:>13.2f}"
        )
    print()
    ok = (
        both == 0
        and lost == 0
        and double == 0
        and results.reuse_accepted == 0
        and distinct == accepted
        and decrypted == plain_rows == stored
    )
    print("OK" if ok else "PROBLEM")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
