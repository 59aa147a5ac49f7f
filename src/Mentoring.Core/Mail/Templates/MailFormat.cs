using System.Globalization;

namespace Mentoring.Core.Mail.Templates;

/// <summary>Culture-free formatting of instants and numbers for mails.</summary>
public static class MailFormat
{
    public static TimeZoneInfo Zone(string? timeZone) =>
        !string.IsNullOrWhiteSpace(timeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out var zone) ? zone : TimeZoneInfo.Utc;

    public static string ZoneName(string? timeZone) =>
        Zone(timeZone) == TimeZoneInfo.Utc ? "UTC" : timeZone!.Trim();

    /// <summary>"Tue 2 Mar 2027, 10:00 (Europe/Berlin)".</summary>
    public static string LocalTime(DateTimeOffset at, string? timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone(timeZone));
        return local.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " (" + ZoneName(timeZone) + ")";
    }

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Plural(int count, string one, string many) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);

    /// <summary>"Ana", "Ana and Bo", "Ana, Bo and Cy".</summary>
    public static string Names(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
    };
}
