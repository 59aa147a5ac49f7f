using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>The real SQLite store on a temp file, one program, a clock the test moves, and the check-in job, handler and desks.</summary>
public sealed class CheckInFixture : EngagementFixture
{
    // Declared here again: the tests import them with `using static CheckInFixture`, which sees no inherited members.
    public new const string ProgramId = EngagementFixture.ProgramId;
    public static new readonly DateTimeOffset Start = EngagementFixture.Start;

    public CheckInFixture()
        : base("checkins.db")
    {
        Links = new ParticipantLinks(NewLinkSigner(), NewLinkOptions());
        Job = new CheckInJob(Store, Catalog, Queue);
        Handler = new CheckInHandler(Store, Mailer, Links, Clock);
        Matches = new MatchDesk(Store, Catalog, Clock);
        Desk = new ParticipantDesk(Store, Links, Matches, Queue, Clock);
    }

    public ParticipantLinks Links { get; }
    public CheckInJob Job { get; }
    public CheckInHandler Handler { get; }
    public MatchDesk Matches { get; }
    public ParticipantDesk Desk { get; }

    protected override IWorkPurposeHandler PurposeHandler => Handler;

    public static DateTimeOffset Day(double days) => Start.AddDays(days);

    public Task AddProgramAsync(EngagementPolicy? engagement = null, ProgramKind kind = ProgramKind.Cohort) =>
        WriteProgramAsync(ProgramId, "Spring <buddies>", kind, ["hr@example.com", "lead@example.com"], engagement);

    public async Task AddPeopleAsync(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            await AddParticipantAsync(name);
        }
    }

    public Task ChangeAsync(string participantId, Func<Participant, Participant> change) => UpdateParticipantAsync(participantId, change);

    public async Task<Participant> PersonAsync(string participantId) =>
        (await Store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(ProgramId, participantId)))!.Value;

    /// <summary>A published, introduced match of these people (ids = names), introduced at <paramref name="introducedAt"/>.</summary>
    public async Task<string> AddMatchAsync(int index, DateTimeOffset introducedAt, params string[] members) =>
        (await WriteMatchAsync(index, introducedAt, members.Select(m => new MatchMember(m, char.ToUpperInvariant(m[0]) + m[1..], $"{m}@example.com")), "w1")).Id;

    public async Task<PublishedMatch> MatchAsync(string matchId) => (await Store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(ProgramId, matchId)))!.Value;

    public async Task<CheckInRecord?> RecordAsync(string matchId, int round, string participantId) =>
        (await Store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn(ProgramId, matchId, round, participantId)))?.Value;

    public async Task SuppressAsync(string email) =>
        await Store.UpsertAsync(EngagementDocuments.Suppression(MailSuppression.EmailDigest(email)), new Suppression(MailSuppression.EmailDigest(email), "bounce", Start));

    /// <summary>The token of the link in a mail (the first whose text label starts with <paramref name="label"/>).</summary>
    public static string TokenIn(MailMessage mail, string label)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var line = mail.TextBody.Split('\n').First(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
        var url = line[(line.IndexOf("https://", StringComparison.Ordinal))..].Trim();
        return url[(url.IndexOf(ParticipantLinks.Path, StringComparison.Ordinal) + ParticipantLinks.Path.Length)..];
    }

    protected override Task RunJobAsync(DateTimeOffset now) => Job.RunAsync(now);
}
