using System.Globalization;
using System.Text;
using Mentoring.Cli.Synthetic;

namespace Mentoring.Cli.Commands;

/// <summary>`generate --people N --seed S (--complete | --top K) --out FILE`: writes a synthetic benchmark edge list.</summary>
internal sealed class GenerateCommand : ICliCommand
{
    public string Name => "generate";

    public string Usage => "generate --people N --seed S (--complete | --top K) --out FILE   synthetic benchmark edge list";

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var a = new ArgReader(args, new HashSet<string> { "--complete" }, new HashSet<string> { "--people", "--seed", "--top", "--out" });
        int people = a.Int("--people", 1000, min: 2);
        int seed = a.Int("--seed", 1);
        string path = a.String("--out") ?? throw new CliUsageException("generate needs --out FILE");
        bool complete = a.Has("--complete");
        int k = a.Int("--top", 0, min: 0);
        if (complete == (k > 0))
        {
            throw new CliUsageException("generate needs exactly one of --complete or --top K");
        }

        var pop = new SyntheticPopulation(people, seed, hardRules: false);
        var pairs = new List<(int U, int V, long W)>();
        if (complete)
        {
            for (int u = 0; u < people; u++)
            {
                for (int v = u + 1; v < people; v++)
                {
                    pairs.Add((u, v, pop.Weight(u, v)));
                }
            }
        }
        else
        {
            // Each node's k heaviest partners, ties to the smaller id, listed node by node heaviest first; a pair
            // already listed by its other end is skipped.
            int[] top = TopPartners(pop, k);
            int kk = Math.Min(k, people - 1);
            var keys = new HashSet<long>();
            for (int u = 0; u < people; u++)
            {
                for (int i = 0; i < kk; i++)
                {
                    int v = top[(long)u * kk + i];
                    long key = u < v ? ((long)u << 32) | (uint)v : ((long)v << 32) | (uint)u;
                    if (keys.Add(key))
                    {
                        pairs.Add((Math.Min(u, v), Math.Max(u, v), pop.Weight(u, v)));
                    }
                }
            }
        }

        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"{people} {pairs.Count}\n"));
        foreach (var (u, v, w) in pairs)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{u} {v} {w}\n"));
        }

        output.WriteLine(FormattableString.Invariant($"wrote {path}: n={people} m={pairs.Count}"));
        return 0;
    }

    /// <summary>
    /// Row by row on every core: node u's k best partners by (heavier, then smaller id), heaviest first. A partner's
    /// rank is one long, weight in the high half and the complemented id in the low half, so ties need no extra look.
    /// </summary>
    private static int[] TopPartners(SyntheticPopulation pop, int k)
    {
        int n = pop.NodeCount;
        int kk = Math.Min(k, n - 1);
        var result = new int[(long)n * kk];
        Parallel.For(0, n, () => (Row: new long[n], Heap: new long[kk]), (u, _, scratch) =>
        {
            var row = scratch.Row;
            var heap = scratch.Heap;
            pop.WeightsRow(u, 0, row);
            int size = 0;
            for (int v = 0; v < n; v++)
            {
                if (v == u)
                {
                    continue;
                }

                long rank = (row[v] << 32) | (uint)~v;
                if (size < kk)
                {
                    heap[size++] = rank;
                    if (size == kk)
                    {
                        Array.Sort(heap);
                    }
                }
                else if (rank > heap[0])
                {
                    // Sorted ascending: drop the lightest and insert in place (k is small).
                    int i = 1;
                    while (i < kk && heap[i] < rank)
                    {
                        heap[i - 1] = heap[i];
                        i++;
                    }

                    heap[i - 1] = rank;
                }
            }

            if (size < kk)
            {
                Array.Sort(heap, 0, size);
            }

            for (int i = 0; i < kk; i++)
            {
                result[((long)u * kk) + i] = (int)~(uint)heap[kk - 1 - i];
            }

            return scratch;
        }, _ => { });
        return result;
    }
}
