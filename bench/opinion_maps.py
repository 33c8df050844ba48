"""Opinion maps of the eight Polis openData conversations, side by side with red-dwarf 0.4.0.

Run: .venv/bin/python bench/opinion_maps.py [--no-red-dwarf] [--orders N]
For each conversation in ../shared/data/polis/opendata: our adjusted Rand index (ARI) against Polis's own
`group-id`, the number of groups and the wall time of one full map (reading the CSVs not included), then the
same for red-dwarf's `run_pipeline` (moderated-out statements zeroed, k chosen freely, random_state 0) and
the ARI red-dwarf's README reports. ARIs are over the participants both engines placed in a group.
Bounded: about a minute in all on two cores, most of it red-dwarf.

--orders N: how much the agreement depends on where k-means starts. Our base clusters start from the first
distinct positions in Polis's loading order; this reruns the clustering (same positions) from N random
starting orders per conversation and prints the spread of the ARI. About 10 s per 16 orders.

Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0
with Attribution to The Computational Democracy Project.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from samskab.opinions import mapping, polis_io  # noqa: E402
from samskab.opinions.mapping import compute_opinion_map  # noqa: E402

OPENDATA = ROOT.parent / "shared" / "data" / "polis" / "opendata"
README_RED_DWARF = {
    "15-per-hour-seattle": 0.46,
    "american-assembly.bowling-green": 0.42,
    "austria-climate.5twd2jsnkf.2022-08-08": 0.95,
    "brexit-consensus": 0.64,
    "canadian-electoral-reform": 1.00,
    "scoop-hivemind.biodiversity": 0.95,
    "scoop-hivemind.taxes": 0.91,
    "vtaiwan.uberx": 0.83,
}


def ari(reference: dict[str, int], ours: dict[str, int]) -> float:
    both = [p for p in reference if p in ours]
    return adjusted_rand_score([reference[p] for p in both], [ours[p] for p in both])


def red_dwarf(conversation: polis_io.PolisConversation) -> tuple[dict[str, int], float]:
    from reddwarf.implementations.polis import run_pipeline

    matrix = conversation.vote_matrix()  # the last vote per pair, as red-dwarf's loader keeps it
    votes = [
        {
            "participant_id": int(matrix.participants[r]),
            "statement_id": int(matrix.statements[c]),
            "vote": int(v),
        }
        for r, c, v in zip(matrix.entry_rows(), matrix.indices, matrix.values, strict=True)
    ]
    for i, vote in enumerate(votes):
        vote["modified"] = i
    started = time.perf_counter()
    result = run_pipeline(
        votes=votes, mod_out_statement_ids=[int(s) for s in conversation.moderated_out], random_state=0
    )
    elapsed = time.perf_counter() - started
    frame = result.participants_df[result.participants_df["to_cluster"]]
    return {str(p): int(g) for p, g in frame["cluster_id"].items()}, elapsed


def order_spread(conversation: polis_io.PolisConversation, n_orders: int) -> np.ndarray:
    """ARIs against Polis when the base clusters start from `n_orders` random participant orders."""
    matrix = conversation.vote_matrix().reindexed(conversation.statement_ids)
    moderated = set(conversation.moderated_out)
    modout = np.asarray([s in moderated for s in conversation.statement_ids])
    pca = mapping.principal_components(matrix, modout)
    positions = mapping.project_participants(matrix, pca, modout)
    rows = np.flatnonzero(mapping.in_conversation(matrix.votes_per_participant(), pca.n_columns))
    scores = []
    for seed in range(n_orders):
        order = np.random.default_rng(seed).permutation(rows)
        base = mapping.base_clusters(positions[order])
        labels = mapping.group_clusters(base.centres, base.sizes).labels[base.labels]
        groups = {matrix.participants[row]: int(label) for row, label in zip(order, labels, strict=True)}
        scores.append(ari(conversation.polis_groups, groups))
    return np.asarray(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-red-dwarf", action="store_true", help="only our engine")
    parser.add_argument("--orders", type=int, default=0, help="also the ARI spread over N random start orders")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if not OPENDATA.is_dir():
        sys.exit(f"{OPENDATA} is missing")

    header = (
        f"{'conversation':40} {'ours ARI':>8} {'k':>2} {'time':>7} | "
        f"{'red-dwarf ARI':>13} {'k':>2} {'time':>7} | {'README':>6}"
    )
    print(header)
    print("-" * len(header))
    ours_scores, theirs_scores = [], []
    for name in README_RED_DWARF:
        conversation = polis_io.read_opendata(OPENDATA / name)
        matrix = conversation.vote_matrix()
        started = time.perf_counter()
        result = compute_opinion_map(
            matrix, statements=conversation.statement_ids, moderated_out=conversation.moderated_out
        )
        elapsed = time.perf_counter() - started
        polis = conversation.polis_groups
        ours = ari(polis, result.participant_group)
        ours_scores.append(ours)
        line = f"{name:40} {ours:8.3f} {len(result.groups):2d} {elapsed:6.2f}s | "
        if args.no_red_dwarf:
            line += f"{'':>13} {'':>2} {'':>7} | "
        else:
            groups, rd_elapsed = red_dwarf(conversation)
            theirs = ari(polis, groups)
            theirs_scores.append(theirs)
            line += f"{theirs:13.3f} {len(set(groups.values())):2d} {rd_elapsed:6.2f}s | "
        print(line + f"{README_RED_DWARF[name]:6.2f}", flush=True)
    print("-" * len(header))
    mean_theirs = f"{np.mean(theirs_scores):13.3f}" if theirs_scores else f"{'':>13}"
    readme_mean = np.mean(list(README_RED_DWARF.values()))
    blank = f"{'':2} {'':7}"
    print(f"{'mean':40} {np.mean(ours_scores):8.3f} {blank} | {mean_theirs} {blank} | {readme_mean:6.2f}")
    if args.orders:
        print(f"\nARI over {args.orders} random starting orders of the base clusters:")
        means = []
        for name in README_RED_DWARF:
            spread = order_spread(polis_io.read_opendata(OPENDATA / name), args.orders)
            means.append(spread.mean())
            print(
                f"{name:40} mean {spread.mean():.3f}  sd {spread.std():.3f}  "
                f"min {spread.min():.3f}  max {spread.max():.3f}"
            )
        print(f"{'mean':40} mean {np.mean(means):.3f}")


if __name__ == "__main__":
    main()
