"""Reference: networkx max_weight_matching on a weighted edge list. Run with /usr/bin/python3 (apt networkx)."""
import sys
import time

import networkx as nx


def main() -> None:
    with open(sys.argv[1], "rb") as f:
        data = f.read().split()
    n, m = int(data[0]), int(data[1])
    g = nx.Graph()
    g.add_nodes_from(range(n))
    vals = data[2:2 + 3 * m]
    for i in range(0, 3 * m, 3):
        u, v, w = int(vals[i]), int(vals[i + 1]), int(vals[i + 2])
        if not g.has_edge(u, v) or g[u][v]["weight"] < w:
            g.add_edge(u, v, weight=w)
    start = time.perf_counter()
    matching = nx.max_weight_matching(g, maxcardinality=False, weight="weight")
    seconds = time.perf_counter() - start
    total = sum(g[u][v]["weight"] for u, v in matching)
    print(f"total_weight {total}")
    print(f"matched_nodes {2 * len(matching)}")
    print(f"seconds {seconds:.3f}")


if __name__ == "__main__":
    main()
