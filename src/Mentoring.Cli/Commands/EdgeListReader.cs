using Mentoring.Core.Matching.Solver;

namespace Mentoring.Cli.Commands;

/// <summary>
/// Reads a weighted edge list: first line `n m`, then m lines `u v w` (0-based ids, integer w >= 1).
/// Whitespace-separated, tolerant of trailing whitespace and blank lines; errors name the line number.
/// </summary>
internal static class EdgeListReader
{
    public static WeightedGraph Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read {path}: {ex.Message}");
        }

        return Parse(data, path);
    }

    public static WeightedGraph Parse(ReadOnlySpan<byte> data, string name)
    {
        int pos = 0;
        int line = 1;
        if (!NextLine(data, ref pos, ref line, out int headerLine))
        {
            throw new CliUsageException($"{name}: empty file, expected a header line 'n m'");
        }

        long n = ReadNumber(data, ref pos, name, headerLine, "node count n");
        long m = ReadNumber(data, ref pos, name, headerLine, "edge count m");
        EndOfLine(data, ref pos, name, headerLine);
        if (n > int.MaxValue || m > int.MaxValue / 2)
        {
            throw new CliUsageException($"{name}:{headerLine}: n or m too large");
        }

        var us = new int[m];
        var vs = new int[m];
        var ws = new long[m];
        for (int e = 0; e < m; e++)
        {
            if (!NextLine(data, ref pos, ref line, out int lineNo))
            {
                throw new CliUsageException($"{name}: expected {m} edges but found only {e}");
            }

            long u = ReadNumber(data, ref pos, name, lineNo, "u");
            long v = ReadNumber(data, ref pos, name, lineNo, "v");
            long w = ReadNumber(data, ref pos, name, lineNo, "w");
            EndOfLine(data, ref pos, name, lineNo);
            if (u >= n || v >= n)
            {
                throw new CliUsageException($"{name}:{lineNo}: node id out of range 0..{n - 1}");
            }

            if (u == v)
            {
                throw new CliUsageException($"{name}:{lineNo}: self loop on node {u}");
            }

            if (w < 1 || w > WeightedGraph.MaxWeight)
            {
                throw new CliUsageException($"{name}:{lineNo}: weight must be an integer in 1..{WeightedGraph.MaxWeight}");
            }

            us[e] = (int)u;
            vs[e] = (int)v;
            ws[e] = w;
        }

        if (NextLine(data, ref pos, ref line, out int extra))
        {
            throw new CliUsageException($"{name}:{extra}: unexpected content after {m} edges");
        }

        return new WeightedGraph((int)n, us, vs, ws);
    }

    /// <summary>Skips blank lines; returns false at end of data. On true, pos is at the first token of a line.</summary>
    private static bool NextLine(ReadOnlySpan<byte> d, ref int pos, ref int line, out int lineNo)
    {
        while (pos < d.Length)
        {
            byte c = d[pos];
            if (c == (byte)'\n')
            {
                line++;
                pos++;
            }
            else if (c is (byte)' ' or (byte)'\t' or (byte)'\r')
            {
                pos++;
            }
            else
            {
                lineNo = line;
                return true;
            }
        }

        lineNo = line;
        return false;
    }

    private static long ReadNumber(ReadOnlySpan<byte> d, ref int pos, string name, int line, string what)
    {
        while (pos < d.Length && d[pos] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            pos++;
        }

        int start = pos;
        long value = 0;
        while (pos < d.Length && d[pos] >= (byte)'0' && d[pos] <= (byte)'9')
        {
            if (pos - start >= 18)
            {
                throw new CliUsageException($"{name}:{line}: {what} is too large");
            }

            value = value * 10 + (d[pos] - (byte)'0');
            pos++;
        }

        if (pos == start || (pos < d.Length && d[pos] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')))
        {
            throw new CliUsageException($"{name}:{line}: expected a non-negative integer for {what}");
        }

        return value;
    }

    private static void EndOfLine(ReadOnlySpan<byte> d, ref int pos, string name, int line)
    {
        while (pos < d.Length && d[pos] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            pos++;
        }

        if (pos < d.Length && d[pos] != (byte)'\n')
        {
            throw new CliUsageException($"{name}:{line}: unexpected extra field");
        }
    }
}
