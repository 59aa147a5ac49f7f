using Mentoring.Core.Matching.Bipartite;

namespace Mentoring.Cli.Commands;

/// <summary>
/// Reads a b-matching instance: line 1 `L R m`; then L lines with each left node's capacity, R lines with each right
/// node's capacity; then m lines `i j w` (0-based, integer w &gt;= 1, no pair twice). Errors name the line.
/// </summary>
internal static class BipartiteFileReader
{
    public static BipartiteGraph Read(string path)
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

        var t = new Tokens(data, path);
        long l = t.Next("left count L", newLine: true), r = t.Next("right count R"), m = t.Next("edge count m");
        if (l > int.MaxValue || r > int.MaxValue || m > int.MaxValue / 2)
        {
            throw new CliUsageException($"{path}:{t.Line}: L, R or m too large");
        }

        var capL = new int[l];
        var capR = new int[r];
        for (int i = 0; i < l; i++)
        {
            capL[i] = (int)Math.Min(int.MaxValue, t.Next($"capacity of left node {i}", newLine: true));
        }

        for (int j = 0; j < r; j++)
        {
            capR[j] = (int)Math.Min(int.MaxValue, t.Next($"capacity of right node {j}", newLine: true));
        }

        var el = new int[m];
        var er = new int[m];
        var ew = new long[m];
        for (int e = 0; e < m; e++)
        {
            long i = t.Next("i", newLine: true), j = t.Next("j"), w = t.Next("w");
            if (i >= l || j >= r)
            {
                throw new CliUsageException($"{path}:{t.Line}: node id out of range (left 0..{l - 1}, right 0..{r - 1})");
            }

            if (w < 1 || w > BipartiteGraph.MaxWeight)
            {
                throw new CliUsageException($"{path}:{t.Line}: weight must be an integer in 1..{BipartiteGraph.MaxWeight}");
            }

            el[e] = (int)i;
            er[e] = (int)j;
            ew[e] = w;
        }

        t.End(m);
        try
        {
            return new BipartiteGraph(capL, capR, el, er, ew);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException($"{path}: {ex.Message}");
        }
    }

    /// <summary>Whitespace-separated non-negative integers; `newLine` asserts that a value starts a new line.</summary>
    private sealed class Tokens(byte[] data, string name)
    {
        private int _pos;
        private bool _sawNewLine = true;

        public int Line { get; private set; } = 1;

        public long Next(string what, bool newLine = false)
        {
            Skip();
            if (_pos >= data.Length)
            {
                throw new CliUsageException($"{name}:{Line}: unexpected end of file, expected {what}");
            }

            if (newLine != _sawNewLine)
            {
                throw new CliUsageException($"{name}:{Line}: expected {what} {(newLine ? "at the start of a new line" : "on the same line")}");
            }

            int start = _pos;
            long value = 0;
            while (_pos < data.Length && data[_pos] >= (byte)'0' && data[_pos] <= (byte)'9')
            {
                if (_pos - start >= 18)
                {
                    throw new CliUsageException($"{name}:{Line}: {what} is too large");
                }

                value = (value * 10) + (data[_pos] - (byte)'0');
                _pos++;
            }

            if (_pos == start || (_pos < data.Length && data[_pos] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')))
            {
                throw new CliUsageException($"{name}:{Line}: expected a non-negative integer for {what}");
            }

            _sawNewLine = false;
            return value;
        }

        public void End(long m)
        {
            Skip();
            if (_pos < data.Length)
            {
                throw new CliUsageException($"{name}:{Line}: unexpected content after {m} edges");
            }
        }

        private void Skip()
        {
            while (_pos < data.Length && data[_pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                if (data[_pos] == (byte)'\n')
                {
                    Line++;
                    _sawNewLine = true;
                }

                _pos++;
            }
        }
    }
}
