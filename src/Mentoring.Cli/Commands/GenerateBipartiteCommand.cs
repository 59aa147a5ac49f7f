using System.Globalization;
using System.Numerics;
using System.Text;

namespace Mentoring.Cli.Commands;

/// <summary>
/// `generate-bipartite --mentees L --mentors R --seed S --top K [--cap-min A --cap-max B] --out FILE`: a seeded
/// mentor/mentee instance in the solve-bipartite format. Mentees (left, capacity 1) keep their K best mentors
/// (right, capacity A..B).
/// </summary>
internal sealed class GenerateBipartiteCommand : ICliCommand
{
    public string Name => "generate-bipartite";

    public string Usage => "generate-bipartite --mentees L --mentors R --seed S --top K [--cap-min A --cap-max B] --out FILE   synthetic mentor/mentee b-matching instance";

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var a = new ArgReader(args, new HashSet<string>(), new HashSet<string> { "--mentees", "--mentors", "--seed", "--top", "--cap-min", "--cap-max", "--out" });
        int l = a.Int("--mentees", 2000, min: 1);
        int r = a.Int("--mentors", 500, min: 1);
        int seed = a.Int("--seed", 1);
        int k = Math.Min(a.Int("--top", 20, min: 1), r);
        int capMin = a.Int("--cap-min", 1, min: 0);
        int capMax = a.Int("--cap-max", capMin, min: capMin);
        string path = a.String("--out") ?? throw new CliUsageException("generate-bipartite needs --out FILE");

        var rng = new Random(seed);
        var mentee = Enumerable.Range(0, l).Select(_ => Person.Random(rng, mentor: false)).ToArray();
        var mentor = Enumerable.Range(0, r).Select(_ => Person.Random(rng, mentor: true)).ToArray();
        var caps = Enumerable.Range(0, r).Select(_ => rng.Next(capMin, capMax + 1)).ToArray();

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{l} {r} {(long)l * k}\n");
        for (int i = 0; i < l; i++)
        {
            sb.Append("1\n");
        }

        foreach (int c in caps)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{c}\n");
        }

        // Per mentee: the k best mentors, heaviest first, ties to the lower mentor id (an insertion-sorted top list).
        var topW = new int[k];
        var topJ = new int[k];
        for (int i = 0; i < l; i++)
        {
            int count = 0;
            var me = mentee[i];
            for (int j = 0; j < r; j++)
            {
                int w = Score(mentor[j], me);
                if (count == k && w <= topW[k - 1])
                {
                    continue;
                }

                int at = count < k ? count++ : k - 1;
                while (at > 0 && topW[at - 1] < w)
                {
                    topW[at] = topW[at - 1];
                    topJ[at] = topJ[at - 1];
                    at--;
                }

                topW[at] = w;
                topJ[at] = j;
            }

            for (int t = 0; t < count; t++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{i} {topJ[t]} {topW[t]}\n");
            }
        }

        File.WriteAllText(path, sb.ToString());
        output.WriteLine(FormattableString.Invariant($"wrote {path}: {l} mentees, {r} mentors, {(long)l * k} edges"));
        return 0;
    }

    /// <summary>Mentor offers what the mentee wants, shared interests, another department, a senior gap, near time zones.</summary>
    private static int Score(Person mentor, Person mentee)
    {
        int skills = BitOperations.PopCount(mentor.Skills & mentee.Skills) * 20;
        int interests = BitOperations.PopCount(mentor.Interests & mentee.Interests) * 6;
        int department = mentor.Department != mentee.Department ? 8 : 0;
        int gap = mentor.Level - mentee.Level;
        int seniority = gap is 1 or 2 ? 15 : gap == 3 ? 8 : gap >= 4 ? 2 : 0;
        int zone = Math.Max(0, 10 - (2 * Math.Abs(mentor.TimeZone - mentee.TimeZone)));
        return 1 + skills + interests + department + seniority + zone;
    }

    private readonly record struct Person(uint Skills, uint Interests, int Department, int Level, int TimeZone)
    {
        public static Person Random(Random rng, bool mentor) => new(
            Bits(rng, 16, mentor ? 4 : 3),
            Bits(rng, 12, 3),
            rng.Next(10),
            mentor ? rng.Next(2, 8) : rng.Next(1, 6),
            rng.Next(-8, 10));

        private static uint Bits(Random rng, int of, int count)
        {
            uint bits = 0;
            while (BitOperations.PopCount(bits) < count)
            {
                bits |= 1u << rng.Next(of);
            }

            return bits;
        }
    }
}
