using System.Globalization;

namespace Mentoring.Core.Matching;

/// <summary>Small helpers for the sentences admins read.</summary>
internal static class English
{
    private static readonly string[] Small = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    public static string Number(int n) => n >= 0 && n < Small.Length ? Small[n] : n.ToString(CultureInfo.InvariantCulture);

    public static string Count(int n, string noun) => $"{Number(n)} {noun}{(n == 1 ? "" : "s")}";

    public static string Hours(int minutes) =>
        minutes % 60 == 0
            ? $"{minutes / 60} h"
            : string.Create(CultureInfo.InvariantCulture, $"{minutes / 60.0:0.#} h");

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };

    /// <summary>Joins at most <paramref name="max"/> names, then "and N others".</summary>
    public static string Names(IReadOnlyList<string> names, int max = 5)
    {
        if (names.Count <= max)
        {
            return Join(names);
        }
        var shown = names.Take(max).ToList();
        shown.Add($"{names.Count - max} others");
        return Join(shown);
    }
}
