using System.Text;

namespace Mentoring.Core.Work;

/// <summary>How a failed attempt is recorded for admins (the work poison list, the mail outbox's last error).</summary>
public static class FailureText
{
    /// <summary>Exception type and message, with the inner exceptions'.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder(exception.GetType().Name).Append(": ").Append(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" -> ").Append(inner.GetType().Name).Append(": ").Append(inner.Message);
        }

        return text.ToString();
    }
}
