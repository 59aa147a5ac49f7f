namespace Mentoring.Deployment.Tests;

/// <summary>
/// The subset of YAML azure.yaml uses: nested mappings by indentation, "key: value" scalars, '#' comments. Anything else
/// (lists, anchors, multi-line scalars) is refused loudly, so the tests never misread a file they do not understand.
/// </summary>
internal static class MiniYaml
{
    public static Dictionary<string, object> Parse(string text)
    {
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        var stack = new List<(int Indent, Dictionary<string, object> Map)> { (-1, root) };
        foreach (var (raw, number) in text.Split('\n').Select((line, i) => (line.TrimEnd('\r'), i + 1)))
        {
            var line = StripComment(raw);
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            if (content.StartsWith('-') || content.StartsWith('&') || content.Contains('|', StringComparison.Ordinal) || line.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"Line {number}: only mappings of scalars are supported: '{content}'.");
            }
            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Line {number}: expected 'key: value': '{content}'.");
            }
            while (stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }
            var key = content[..colon].Trim();
            var value = Unquote(content[(colon + 1)..].Trim());
            var parent = stack[^1].Map;
            if (value.Length == 0)
            {
                var child = new Dictionary<string, object>(StringComparer.Ordinal);
                parent.Add(key, child);
                stack.Add((indent, child));
            }
            else
            {
                parent.Add(key, value);
            }
        }
        return root;
    }

    public static string Scalar(Dictionary<string, object> root, params string[] path)
    {
        object node = root;
        foreach (var key in path)
        {
            node = ((Dictionary<string, object>)node)[key];
        }
        return (string)node;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 && (hash == 0 || line[hash - 1] == ' ') ? line[..hash] : line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
