// Reference timing for solve-bipartite: LEMON's NetworkSimplex on the min-cost flow model of a maximum-weight
// b-matching. Input: "L R m", L left capacities, R right capacities, m lines "i j w".
// Network: s -> left i (capacity b_i, cost 0), left i -> right j (capacity 1, cost -w), right j -> t (capacity c_j,
// cost 0), and a bypass arc s -> t (capacity sum b_i, cost 0), with supply sum b_i at s and demand at t: the flow
// that does not pay goes through the bypass, so the minimum cost is minus the maximum weight.
// Prints total_weight, matched_edges, seconds and cpu_seconds (network simplex run only, like the mentoring CLI).
#include <lemon/smart_graph.h>
#include <lemon/network_simplex.h>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lemon;

static long long readNumber(FILE* f) {
    int c = fgetc_unlocked(f);
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t') c = fgetc_unlocked(f);
    if (c < '0' || c > '9') { fprintf(stderr, "bad input\n"); exit(2); }
    long long v = 0;
    while (c >= '0' && c <= '9') { v = v * 10 + (c - '0'); c = fgetc_unlocked(f); }
    return v;
}

int main(int argc, char** argv) {
    if (argc != 2) { fprintf(stderr, "usage: lemon_bmatch FILE\n"); return 2; }
    FILE* f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    int L = (int)readNumber(f), R = (int)readNumber(f);
    long long m = readNumber(f);
    SmartDigraph g;
    g.reserveNode(L + R + 2);
    g.reserveArc((int)m + L + R + 1);
    SmartDigraph::Node s = g.addNode(), t = g.addNode();
    std::vector<SmartDigraph::Node> left(L), right(R);
    SmartDigraph::ArcMap<long long> cap(g), cost(g);
    long long supply = 0;
    for (int i = 0; i < L; ++i) {
        left[i] = g.addNode();
        long long b = readNumber(f);
        SmartDigraph::Arc a = g.addArc(s, left[i]);
        cap[a] = b; cost[a] = 0; supply += b;
    }
    for (int j = 0; j < R; ++j) {
        right[j] = g.addNode();
        SmartDigraph::Arc a = g.addArc(right[j], t);
        cap[a] = readNumber(f); cost[a] = 0;
    }
    std::vector<SmartDigraph::Arc> pairs(m);
    std::vector<long long> weight(m);
    for (long long e = 0; e < m; ++e) {
        int i = (int)readNumber(f), j = (int)readNumber(f);
        weight[e] = readNumber(f);
        pairs[e] = g.addArc(left[i], right[j]);
        cap[pairs[e]] = 1; cost[pairs[e]] = -weight[e];
    }
    fclose(f);
    SmartDigraph::Arc bypass = g.addArc(s, t);
    cap[bypass] = supply; cost[bypass] = 0;

    std::clock_t cpuStart = std::clock();
    auto start = std::chrono::steady_clock::now();
    NetworkSimplex<SmartDigraph, long long, long long> ns(g);
    ns.upperMap(cap).costMap(cost).stSupply(s, t, supply);
    NetworkSimplex<SmartDigraph, long long, long long>::ProblemType result = ns.run();
    auto stop = std::chrono::steady_clock::now();
    std::clock_t cpuStop = std::clock();
    if (result != NetworkSimplex<SmartDigraph, long long, long long>::OPTIMAL) { fprintf(stderr, "not optimal\n"); return 1; }
    long long total = 0, matched = 0;
    for (long long e = 0; e < m; ++e) if (ns.flow(pairs[e]) > 0) { total += weight[e]; ++matched; }
    printf("total_weight %lld\n", total);
    printf("matched_edges %lld\n", matched);
    printf("seconds %.3f\n", std::chrono::duration<double>(stop - start).count());
    printf("cpu_seconds %.3f\n", double(cpuStop - cpuStart) / CLOCKS_PER_SEC);
    return 0;
}
