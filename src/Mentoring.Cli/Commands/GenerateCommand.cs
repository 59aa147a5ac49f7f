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
            var keys = new HashSet<long>();
            var row = new (long W, int V)[people - 1];
            for (int u = 0; u < people; u++)
            {
                int c = 0;
                for (int v = 0; v < people; v++)
                {
                    if (v != u)
                    {
                        row[c++] = (-pop.Weight(u, v), v);
                    }
                }

                Array.Sort(row);
                for (int i = 0; i < Math.Min(k, row.Length); i++)
                {
                    int v = row[i].V;
                    long key = u < v ? ((long)u << 32) | (uint)v : ((long)v << 32) | (uint)u;
                    if (keys.Add(key))
                    {
                        pairs.Add((Math.Min(u, v), Math.Max(u, v), -row[i].W));
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
}
