using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Tests.Engagement.Surveys;

/// <summary>A real SQLite store on a temp file, a program, a clock the test moves, the job, the handler and the desk.</summary>
public sealed class SurveyFixture : EngagementFixture
{
    public SurveyFixture()
        : base("surveys.db")
    {
        var signer = NewLinkSigner();
        var options = NewLinkOptions();
        Links = new SurveyLinks(signer, options);
        Job = new SurveyJob(Catalog, Store, Queue);
        Handler = new SurveyHandler(Store, Mailer, Links, new ParticipantLinks(signer, options), Clock);
        Desk = new SurveyDesk(Links, Store, Clock);
    }

    public SurveyLinks Links { get; }
    public SurveyJob Job { get; }
    public SurveyHandler Handler { get; }
    public SurveyDesk Desk { get; }

    protected override IWorkPurposeHandler PurposeHandler => Handler;

    public Task AddProgramAsync(EngagementPolicy? engagement = null, string id = ProgramId) =>
        WriteProgramAsync(id, "Spring buddies", ProgramKind.Cohort, ["hr@example.com"], engagement);

    public Task<PublishedMatch> AddMatchAsync(int index, DateTimeOffset introducedAt, string[] members, Func<PublishedMatch, PublishedMatch>? change = null,
        string windowId = "w1") =>
        WriteMatchAsync(index, introducedAt, members.Select(m => new MatchMember(m, m, $"{m}@example.com")), windowId, change);

    public async Task<SurveyRecord?> RecordAsync(string surveyKey, string participantId) =>
        (await Store.ReadAsync<SurveyRecord>(EngagementDocuments.Survey(ProgramId, surveyKey, participantId)))?.Value;

    protected override Task RunJobAsync(DateTimeOffset now) => Job.RunAsync(now);
}
