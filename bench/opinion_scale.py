"""Opinion maps at scale: full recomputation time and peak memory on synthetic conversations.

Run: .venv/bin/python bench/opinion_scale.py [--large] [--records] [--no-red-dwarf] [--red-dwarf-100k]
Sizes (participants x statements x votes): 20,000 x 1,000 x 1M and 100,000 x 2,000 x 5M; --large adds
1,000,000 x 5,000 x 20M (about two minutes, most of it making the data). red-dwarf 0.4.0, which builds a
dense participants x statements matrix, runs at 5,000 x 500 x 250k and 20,000 x 1,000 x 1M; --red-dwarf-100k
adds 100,000 x 2,000 x 5M (its README reports 386 s and 11.4 GB there; 1,000,000 x 5,000 does not fit).

Synthetic data, seeded: three planted opinion groups, every participant-statement pair voted at most once,
10 % passes, 80 % of votes on the group's side, the rest against, in random time order; four sectors.
"Full recomputation" is everything from the vote arrays to the finished map: the vote matrix (last vote per
pair), PCA, projections, base and group clustering, repness, consensus, group-informed consensus, sector
bridging and priorities. --records also times the path the Django side uses (VoteRecord objects) at the
100,000 size. Each measurement runs in its own process; peak memory is that process's peak resident set
size during the step (Linux VmHWM, reset before the step), so it includes the input arrays.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from peak_memory import MB, peak_since, reset_peak, status  # bench/, the script's own folder
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from samskab.opinions import mapping  # noqa: E402

SEED = 7
SECTORS = np.array(["MUNICIPALITY", "ASSOCIATION", "CITIZEN", "BUSINESS"])
OURS = [(20_000, 1_000, 1_000_000), (100_000, 2_000, 5_000_000)]
LARGE = (1_000_000, 5_000, 20_000_000)
RED_DWARF = [(5_000, 500, 250_000), (20_000, 1_000, 1_000_000)]
TIMEOUT = 900


def synthetic(n: int, m: int, votes: int, seed: int = SEED) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    pairs = np.zeros(0, dtype=np.int64)
    while pairs.size < votes:  # draw pairs until there are enough distinct ones
        more = rng.integers(0, n * m, int((votes - pairs.size) * 1.1) + 10, dtype=np.int64)
        pairs = np.unique(np.concatenate([pairs, more]))
    pairs = pairs[rng.permutation(pairs.size)[:votes]]  # random time order, each pair once
    participant, statement = pairs // m, pairs % m
    del pairs
    group = rng.integers(0, 3, n)
    side = rng.choice(np.array([-1, 1], dtype=np.int8), size=(3, m))
    u = rng.random(votes)
    follow = side[group[participant], statement]
    value = np.where(u < 0.1, 0, np.where(u < 0.9, follow, -follow)).astype(np.int8)
    return {"participant": participant, "statement": statement, "value": value, "group": group}


def run_ours(n: int, m: int, votes: int, records: bool) -> dict[str, Any]:
    data = synthetic(n, m, votes)
    participants = [str(i) for i in range(n)]
    statements = [str(j) for j in range(m)]
    sectors = dict(zip(participants, SECTORS[np.arange(n) % 4].tolist(), strict=True))
    if records:
        values = data["value"].tolist()
        pids, sids = data["participant"].tolist(), data["statement"].tolist()
        votes_in: Any = [
            mapping.VoteRecord(participants[p], statements[s], v) for p, s, v in zip(pids, sids, values, strict=True)
        ]
        del values, pids, sids
    baseline = status("VmRSS:")
    reset = reset_peak()
    started = time.perf_counter()
    if not records:
        votes_in = mapping.VoteMatrix.from_arrays(
            data["participant"],
            data["statement"],
            data["value"],
            participants=participants,
            statements=statements,
        )
    result = mapping.compute_opinion_map(votes_in, statements=statements, participant_sectors=sectors)
    elapsed = time.perf_counter() - started
    peak = peak_since(reset)
    placed = np.array([result.participant_group.get(p, -1) for p in result.participants])
    truth = data["group"][np.array(result.participants, dtype=np.int64)]
    inside = placed >= 0
    return {
        "seconds": elapsed,
        "peak_mb": peak / MB,
        "input_mb": baseline / MB,
        "groups": len(result.groups),
        "ari": adjusted_rand_score(truth[inside], placed[inside]),
        "votes": result.n_votes,
    }


def run_red_dwarf(n: int, m: int, votes: int) -> dict[str, Any]:
    import warnings

    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline

    data = synthetic(n, m, votes)
    rows = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": i}
        for i, (p, s, v) in enumerate(zip(data["participant"], data["statement"], data["value"], strict=True))
    ]
    baseline = status("VmRSS:")
    reset = reset_peak()
    started = time.perf_counter()
    result = run_pipeline(votes=rows, random_state=0)
    elapsed = time.perf_counter() - started
    peak = peak_since(reset)
    frame = result.participants_df[result.participants_df["to_cluster"]]
    truth = data["group"][frame.index.to_numpy(dtype=np.int64)]
    return {
        "seconds": elapsed,
        "peak_mb": peak / MB,
        "input_mb": baseline / MB,
        "groups": int(frame["cluster_id"].nunique()),
        "ari": adjusted_rand_score(truth, frame["cluster_id"].to_numpy(dtype=np.int64)),
        "votes": votes,
    }


def child(args: argparse.Namespace) -> None:
    n, m, votes = args.child
    out = run_red_dwarf(n, m, votes) if args.engine == "red-dwarf" else run_ours(n, m, votes, args.records)
    print(json.dumps(out))


def measure(engine: str, size: tuple[int, int, int], records: bool = False) -> None:
    n, m, votes = size
    command = [sys.executable, __file__, "--child", str(n), str(m), str(votes), "--engine", engine]
    if records:
        command.append("--records")
    label = f"{engine}{' (records)' if records else ''}"
    size_label = f"{n:,} x {m:,} x {votes / 1e6:g}M"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=True)
    except subprocess.TimeoutExpired:
        print(f"{label:20} {size_label:28} did not finish in {TIMEOUT} s", flush=True)
        return
    except subprocess.CalledProcessError as error:
        print(f"{label:20} {size_label:28} failed: {error.stderr.strip().splitlines()[-1:]}", flush=True)
        return
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{label:20} {size_label:28} {r['seconds']:8.2f} s {r['peak_mb']:9.0f} MB "
        f"(input {r['input_mb']:6.0f} MB)  k={r['groups']}  ARI vs planted {r['ari']:.3f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 1,000,000 x 5,000 x 20M")
    parser.add_argument("--records", action="store_true", help="also time VoteRecord input at 100,000")
    parser.add_argument("--no-red-dwarf", action="store_true", help="skip red-dwarf")
    parser.add_argument("--red-dwarf-100k", action="store_true", help="also red-dwarf at 100,000 (minutes, ~12 GB)")
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="ours", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"{'engine':20} {'participants x statements x votes':28} {'time':>10} {'peak memory':>12}")
    for size in OURS + ([LARGE] if args.large else []):
        measure("ours", size)
    if args.records:
        measure("ours", OURS[1], records=True)
    if not args.no_red_dwarf:
        for size in RED_DWARF + ([OURS[1]] if args.red_dwarf_100k else []):
            measure("red-dwarf", size)


if __name__ == "__main__":
    main()
