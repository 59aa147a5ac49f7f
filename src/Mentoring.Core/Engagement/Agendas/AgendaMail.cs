using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Engagement.Agendas;

/// <summary>The agenda section of a participant mail: one session's title, the member's prompts and the activity.</summary>
internal static class AgendaMail
{
    public static void Write(MailBody body, string heading, AgendaSession session, string? role)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(session);
        body.Section(heading + ": " + session.Title);
        body.Bullets(SessionAgendas.PromptsFor(session, role));
        if (!string.IsNullOrWhiteSpace(session.Activity))
        {
            body.Paragraph("Try this together: " + session.Activity);
        }
    }
}
