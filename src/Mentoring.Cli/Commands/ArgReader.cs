using System.Globalization;

namespace Mentoring.Cli.Commands;

/// <summary>Tiny option parser: positional arguments, `--flag` and `--name value`.</summary>
internal sealed class ArgReader
{
    private readonly List<string> _positional = new();
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public ArgReader(IReadOnlyList<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> valued)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                _positional.Add(a);
            }
            else if (flags.Contains(a))
            {
                _options[a] = null;
            }
            else if (valued.Contains(a))
            {
                if (i + 1 >= args.Count)
                {
                    throw new CliUsageException($"option {a} needs a value");
                }

                _options[a] = args[++i];
            }
            else
            {
                throw new CliUsageException($"unknown option {a}");
            }
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public bool Has(string name) => _options.ContainsKey(name);

    public int Int(string name, int fallback, int min = int.MinValue)
    {
        if (!_options.TryGetValue(name, out string? s) || s == null)
        {
            return fallback;
        }

        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min)
        {
            throw new CliUsageException($"option {name} needs an integer >= {min}, got '{s}'");
        }

        return v;
    }

    public string? String(string name) => _options.TryGetValue(name, out string? s) ? s : null;
}
