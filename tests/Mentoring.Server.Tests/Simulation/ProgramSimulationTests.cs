using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Mail;
using Mentoring.Server.Simulation;
using Mentoring.Testing;

namespace Mentoring.Server.Tests.Simulation;

/// <summary>
/// The engagement issue end to end: a whole simulated program cycle through the real embedded host, its mail counts,
/// idempotency, and the report's figures held against what the simulated participants actually did.
/// </summary>
public sealed class ProgramSimulationTests(ProgramSimulationTests.OneRun run) : IClassFixture<ProgramSimulationTests.OneRun>
{
    private static readonly SimulationOptions Options = new() { People = 24, Seed = 11, Weeks = 12, Unsubscribers = 2 };
    private readonly SimulationResult result = run.Result;

    /// <summary>One simulated cycle shared by the assertions below (it takes a few seconds).</summary>
    public sealed class OneRun : IAsyncLifetime, IDisposable
    {
        private readonly TempFolder folder = new();

        public SimulationResult Result { get; private set; } = null!;

        public async Task InitializeAsync() => Result = await ProgramSimulation.RunAsync(Options, folder.Path);

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => folder.Dispose();
    }

    private int Mails(string category) => result.MailsByCategory.GetValueOrDefault(category);

    [Fact]
    public void Nobody_hears_anything_before_the_approval_and_every_member_of_every_pair_gets_one_intro()
    {
        Assert.Equal(0, result.ParticipantMailsBeforeApproval);
        Assert.Equal(1, Mails(MailCategories.Draft));
        Assert.Equal(Options.People, Mails(MailCategories.Intro));
        Assert.Equal(Options.People / 2, result.Pairs);
    }

    [Fact]
    public void Every_member_gets_one_nudge_per_round_until_they_unsubscribe()
    {
        const int rounds = 12 * 7 / 14;
        Assert.Equal(Options.People * rounds - Options.Unsubscribers * (rounds - 1), Mails(CheckInMailCategories.CheckIn));
        Assert.Equal(0, result.MailsToUnsubscribedAfterUnsubscribing);
    }

    [Fact]
    public void Running_the_timers_twice_at_one_instant_sends_nothing_more()
    {
        Assert.Equal(0, result.MailsFromRepeatedTimerRuns);
    }

    [Fact]
    public void Both_surveys_go_to_everyone_reachable_and_reminders_stop_at_the_cap()
    {
        var reachable = Options.People - Options.Unsubscribers;
        Assert.Equal(2 * reachable, Mails(SurveyMail.InviteCategory));
        var unanswered = 2 * reachable - result.SurveysAnswered;
        Assert.InRange(Mails(SurveyMail.ReminderCategory), 1, 2 * unanswered + result.SurveysAnswered);
    }

    [Fact]
    public void The_report_counts_what_the_participants_did()
    {
        var total = result.Report.Total;
        Assert.Equal(Options.People, total.Enrolled.Registered);
        Assert.Equal(Options.People, total.Matched);
        Assert.Equal(Options.People / 2, total.Pairs.Active);
        Assert.Equal(result.MeetingRounds, total.Meetings);
        Assert.Equal(result.MeetingRounds, total.MentoringHours); // every simulated meeting lasted 60 minutes
        Assert.Equal(Mails(CheckInMailCategories.CheckIn), total.CheckIns.Sent);
        Assert.Equal(result.NudgesAnswered, total.CheckIns.Answered);
        Assert.Equal(result.SurveysAnswered, total.Surveys.Sum(s => s.Responses.Answered));
        Assert.Equal(result.SurveysAnswered, total.Surveys.Sum(s => s.Nps.Answers));
    }

    [Fact]
    public void The_csv_report_carries_the_same_figures()
    {
        var rows = result.ReportCsv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(','))
            .ToList();
        string Value(string metric) => rows.Single(r => r[0] == "all" && r[1] == "(all)" && r[2] == metric)[3];
        Assert.Equal(result.Report.Total.Meetings.ToString(System.Globalization.CultureInfo.InvariantCulture), Value("meetings"));
        Assert.Equal(result.Report.Total.CheckIns.Sent.ToString(System.Globalization.CultureInfo.InvariantCulture), Value("checkIns.sent"));
    }
}
