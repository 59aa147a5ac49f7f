namespace Mentoring.Functions.Mail;

/// <summary>How the Functions app delivers mail (setting <c>Mentoring:Mail:Transport</c>, app setting <c>Mentoring__Mail__Transport</c>).</summary>
public enum MailTransport
{
    /// <summary>SendGrid's v3 API (<see cref="SendGridMailer"/>): the default, and what the Bicep deploys.</summary>
    SendGrid,

    /// <summary>An SMTP relay (<c>Mentoring:Smtp</c>), the same MailKit sender the embedded server uses: a laptop's Mailpit.</summary>
    Smtp,

    /// <summary>Nothing leaves: each mail is kept as a document in the app's store (<see cref="KeptMailStore"/>).</summary>
    Local,
}
