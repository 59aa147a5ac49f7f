using Mentoring.Core.Mail;

namespace Mentoring.Core.Engagement.Participation;

/// <summary>
/// The RFC 8058 one-click unsubscribe headers every participant mail carries: <c>List-Unsubscribe: &lt;https://.../api/links/{token}&gt;</c>
/// and <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>. Mail clients POST <c>List-Unsubscribe=One-Click</c> to the URL,
/// which unsubscribes at once (no confirmation page).
/// </summary>
public static class ListUnsubscribe
{
    public const string Header = "List-Unsubscribe";
    public const string PostHeader = "List-Unsubscribe-Post";
    public const string PostValue = "List-Unsubscribe=One-Click";

    /// <summary>The two headers for this unsubscribe URL (from <see cref="ParticipantLinks.Unsubscribe"/>).</summary>
    public static IReadOnlyDictionary<string, string> Headers(Uri unsubscribeUrl)
    {
        ArgumentNullException.ThrowIfNull(unsubscribeUrl);
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [Header] = "<" + unsubscribeUrl.AbsoluteUri + ">",
            [PostHeader] = PostValue,
        };
    }

    /// <summary>The message with the two headers added (other headers kept).</summary>
    public static MailMessage With(MailMessage message, Uri unsubscribeUrl)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = new Dictionary<string, string>(message.Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Headers(unsubscribeUrl))
        {
            headers[name] = value;
        }
        return message with { Headers = headers };
    }

    /// <summary>The message with the unsubscribe headers of this participant (a fresh link valid for <see cref="ParticipantLinks.SelfServiceLifetime"/>).</summary>
    public static MailMessage With(MailMessage message, ParticipantLinks links, string programId, string participantId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(links);
        return With(message, links.Unsubscribe(programId, participantId, now));
    }
}
