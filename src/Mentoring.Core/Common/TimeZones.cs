namespace Mentoring.Core.Common;

public static class TimeZones
{
    // IANA ids are case-sensitive file names on Linux; people type "europe/berlin". Match case-insensitively.
    private static readonly Lazy<Dictionary<string, string>> KnownIds = new(() =>
        TimeZoneInfo.GetSystemTimeZones().GroupBy(z => z.Id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase));

    /// <summary>Resolves an IANA (or Windows) time-zone id to its canonical spelling, or null.</summary>
    public static string? Canonical(string id)
    {
        var trimmed = id.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }
        if (string.Equals(trimmed, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return "UTC";
        }
        if (KnownIds.Value.TryGetValue(trimmed, out var known))
        {
            return known;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(trimmed, out var zone) ? zone.Id : null;
    }
}
