namespace Mentoring.Core.Common;

public static class TimeZones
{
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
        return TimeZoneInfo.TryFindSystemTimeZoneById(trimmed, out var zone) ? zone.Id : null;
    }
}
