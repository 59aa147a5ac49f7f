using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Tests.Engagement.Surveys;

/// <summary>
/// The survey handler's sends on the real SQLite store: whom a roles survey is about, the rematch link of evergreen
/// programs, and the reminders that must not go out.
/// </summary>
public sealed class SurveyHandlerTests : IDisposable
{
    private static readonly DateTimeOffset Intro = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly SurveyFixture f = new();

    public SurveyHandlerTests() => f.Clock.Set(Intro.AddDays(45));

    public void Dispose() => f.Dispose();

    private static WorkItem Invite(string participantId, string? matchId) => new()
    {
        IdempotencyKey = SurveyJob.InviteKey(EngagementFixture.ProgramId, "mid", participantId),
        Purpose = WorkPurposes.SurveyInvite,
        ProgramId = EngagementFixture.ProgramId,
        ParticipantId = participantId,
        MatchId = matchId,
        DueAt = Intro.AddDays(45),
        Data = new Dictionary<string, string>(StringComparer.Ordinal) { [SurveyJob.SurveyData] = "mid" },
    };

    private static WorkItem Reminder(string participantId, string number) => Invite(participantId, null) with
    {
        IdempotencyKey = SurveyJob.ReminderKey(EngagementFixture.ProgramId, "mid", participantId, 1) + number,
        Purpose = WorkPurposes.SurveyReminder,
        Data = new Dictionary<string, string>(StringComparer.Ordinal) { [SurveyJob.SurveyData] = "mid", [SurveyJob.ReminderData] = number },
    };

    private async Task PeopleAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await f.AddParticipantAsync(name);
        }
    }

    private static Func<PublishedMatch, PublishedMatch> Roles(string mentor) =>
        m => m with { Members = [.. m.Members.Select(x => x with { Role = x.ParticipantId == mentor ? "mentor" : "mentee" })] };

    [Fact]
    public async Task A_mentor_is_asked_about_all_their_mentees_and_a_mentee_about_their_mentor()
    {
        await f.AddProgramAsync();
        await PeopleAsync("ana", "bo", "cy");
        var first = await f.AddMatchAsync(1, Intro, ["ana", "bo"], Roles("ana"));
        await f.AddMatchAsync(2, Intro.AddDays(1), ["ana", "cy"], Roles("ana"));

        await f.DeliverAsync([Invite("ana", first.Id), Invite("bo", first.Id)]);

        var ana = Assert.Single(f.Mailer.To("ana@example.com"));
        Assert.Contains("how mentoring is going with your mentees bo and cy.", ana.TextBody, StringComparison.Ordinal);
        Assert.Equal("mentor", ana.CustomArgs["role"]);
        Assert.Equal(("mentor", first.Id), ((await f.RecordAsync("mid", "ana"))!.Role, (await f.RecordAsync("mid", "ana"))!.MatchId));
        Assert.Contains("how mentoring is going with your mentor ana.", Assert.Single(f.Mailer.To("bo@example.com")).TextBody, StringComparison.Ordinal);
        Assert.Equal("mentee", (await f.RecordAsync("mid", "bo"))!.Role);
    }

    [Fact]
    public async Task A_mentor_whose_matches_all_ended_is_asked_about_the_surveys_match_and_peers_about_their_peer_mentoring()
    {
        await f.AddProgramAsync();
        await PeopleAsync("ana", "bo", "cy", "di");
        var ended = await f.AddMatchAsync(1, Intro, ["ana", "bo"], m => Roles("ana")(m) with { Status = MatchStatus.Ended, EndedAt = Intro.AddDays(20) });
        await f.AddMatchAsync(2, Intro, ["cy", "di"], m => Roles("zed")(m) with { Status = MatchStatus.Ended, EndedAt = Intro.AddDays(20) });
        var peers = await f.AddMatchAsync(3, Intro, ["cy", "di"], windowId: "w2");

        await f.DeliverAsync([Invite("ana", ended.Id), Invite("cy", peers.Id)]);

        Assert.Contains("how mentoring is going with your mentee bo.", Assert.Single(f.Mailer.To("ana@example.com")).TextBody, StringComparison.Ordinal);
        var cy = Assert.Single(f.Mailer.To("cy@example.com"));
        Assert.Contains("how your peer mentoring is going.", cy.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("role", cy.CustomArgs.Keys);
        Assert.Null((await f.RecordAsync("mid", "cy"))!.Role);
    }

    [Theory]
    [InlineData(ProgramKind.Evergreen, true)]
    [InlineData(ProgramKind.Cohort, false)]
    public async Task Only_an_evergreen_programs_survey_offers_a_new_partner(ProgramKind kind, bool offered)
    {
        await f.Store.UpsertAsync(ProgramCatalog.KeyOf(EngagementFixture.ProgramId), new MentoringProgram
        {
            Id = EngagementFixture.ProgramId, Name = "Spring buddies", Kind = kind, AdminEmails = ["hr@example.com"], TimeZone = "Europe/Berlin",
        });
        await PeopleAsync("ana", "bo");
        var match = await f.AddMatchAsync(1, Intro, ["ana", "bo"]);

        await f.DeliverAsync([Invite("ana", match.Id)]);

        Assert.Equal(offered, Assert.Single(f.Mailer.To("ana@example.com")).TextBody.Contains("Ask for a new partner in the next round", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_reminder_goes_to_someone_who_answered_beyond_the_cap_or_after_the_close()
    {
        await f.AddProgramAsync();
        await PeopleAsync("ana", "bo", "cy");
        var match = await f.AddMatchAsync(1, Intro, ["ana", "bo"]);
        await f.DeliverAsync([Invite("ana", match.Id), Invite("bo", match.Id), Invite("cy", match.Id)]);
        await f.Store.UpdateAsync<SurveyRecord>(EngagementDocuments.Survey(EngagementFixture.ProgramId, "mid", "ana"), r => r with { RespondedAt = Intro.AddDays(46) });
        f.Clock.Set(Intro.AddDays(48));

        await f.DeliverAsync([Reminder("ana", "1"), Reminder("bo", "3")]);
        Assert.Single(f.Mailer.To("ana@example.com"));
        Assert.Single(f.Mailer.To("bo@example.com"));
        Assert.Equal((0, 0), ((await f.RecordAsync("mid", "ana"))!.RemindersSent, (await f.RecordAsync("mid", "bo"))!.RemindersSent));

        await f.DeliverAsync([Reminder("bo", "2")]);
        Assert.Equal(2, f.Mailer.To("bo@example.com").Count);
        Assert.Equal((2, Intro.AddDays(48)), ((await f.RecordAsync("mid", "bo"))!.RemindersSent, (await f.RecordAsync("mid", "bo"))!.LastReminderAt));

        f.Clock.Set((await f.RecordAsync("mid", "cy"))!.ClosesAt);
        await f.DeliverAsync([Reminder("cy", "1"), Invite("cy", match.Id) with { IdempotencyKey = "invite-again" }]);
        Assert.Single(f.Mailer.To("cy@example.com"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("one")]
    public async Task A_reminder_without_a_number_is_refused_as_malformed(string number)
    {
        await f.AddProgramAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => f.Handler.HandleAsync(Reminder("ana", number)));

        Assert.Contains("has no reminder number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_without_its_participant_or_survey_is_refused_as_malformed()
    {
        await f.AddProgramAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => f.Handler.HandleAsync(Invite("ana", null) with { ParticipantId = null }));
        await Assert.ThrowsAsync<ArgumentException>(() => f.Handler.HandleAsync(Invite("ana", null) with { Data = new Dictionary<string, string>() }));
    }

    [Fact]
    public async Task A_survey_the_program_no_longer_has_sends_nothing()
    {
        await f.AddProgramAsync(new EngagementPolicy { Surveys = [SurveyDefinition.Defaults[1]] });
        await PeopleAsync("ana", "bo");
        var match = await f.AddMatchAsync(1, Intro, ["ana", "bo"]);

        await f.DeliverAsync([Invite("ana", match.Id)]);

        Assert.Empty(f.Mailer.Sent);
        Assert.Null(await f.RecordAsync("mid", "ana"));
    }
}
