// Reference timing: LEMON's MaxWeightedMatching on a weighted edge list ("n m" then m lines "u v w").
// Prints total_weight, matched_nodes and seconds (solve only, like the mentoring CLI).
#include <lemon/list_graph.h>
#include <lemon/matching.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lemon;

static long long readNumber(FILE* f) {
    int c = fgetc(f);
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t') c = fgetc(f);
    if (c < '0' || c > '9') { fprintf(stderr, "bad input\n"); exit(2); }
    long long v = 0;
    while (c >= '0' && c <= '9') { v = v * 10 + (c - '0'); c = fgetc(f); }
    return v;
}

int main(int argc, char** argv) {
    if (argc != 2) { fprintf(stderr, "usage: lemon_mwm FILE\n"); return 2; }
    FILE* f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    int n = (int)readNumber(f);
    long long m = readNumber(f);
    ListGraph g;
    g.reserveNode(n);
    g.reserveEdge((int)m);
    std::vector<ListGraph::Node> nodes(n);
    for (int i = 0; i < n; ++i) nodes[i] = g.addNode();
    ListGraph::EdgeMap<long long> weight(g);
    for (long long e = 0; e < m; ++e) {
        int u = (int)readNumber(f), v = (int)readNumber(f);
        long long w = readNumber(f);
        weight[g.addEdge(nodes[u], nodes[v])] = w;
    }
    fclose(f);

    auto start = std::chrono::steady_clock::now();
    MaxWeightedMatching<ListGraph, ListGraph::EdgeMap<long long> > mwm(g, weight);
    mwm.run();
    auto stop = std::chrono::steady_clock::now();
    printf("total_weight %lld\n", (long long)mwm.matchingWeight());
    printf("matched_nodes %d\n", 2 * mwm.matchingSize());
    printf("seconds %.3f\n", std::chrono::duration<double>(stop - start).count());
    return 0;
}
