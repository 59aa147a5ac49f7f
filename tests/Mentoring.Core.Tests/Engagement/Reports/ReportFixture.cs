using Mentoring.Core.Engagement;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Engagement.Reports;

/// <summary>
/// A small program built document by document, with its figures computed by hand in <see cref="ProgramReportTests"/>:
/// <code>
/// person  department   level  status     match            survey "mid" (satisfaction, nps)
/// ana     Sales        2      registered m1 active         Very positive, 10
/// bo      Engineering  2      registered m1 active         Positive, 8
/// cy      Sales        4      registered m2 at risk        Very positive, 9
/// di      Finance      -      registered m2 at risk        Negative, 3
/// ed      -            3      registered m3 ended          sent, no answer
/// fay     =SUM(1,2)    1      withdrawn  m3 ended          Neutral, 7
/// gil     Engineering  4      registered waitlisted in the last round (ana waited in the round before)
///
/// check-ins  m1 r1: ana met 60, bo met 45    m1 r2: ana met 30, bo -
///            m2 r1: cy not yet, di -         m2 r2: cy -, di need help
///            m3 r1: ed met (no minutes), fay met 50
/// </code>
/// </summary>
public static class ReportFixture
{
    public const string ProgramId = "spring";
    public static readonly DateTimeOffset Intro = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static async Task WriteAsync(IDocumentStore store, bool writeProgram)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (writeProgram)
        {
            await store.UpsertAsync(ProgramCatalog.KeyOf(ProgramId), new MentoringProgram
            {
                Id = ProgramId,
                Name = "Spring buddies",
                Kind = ProgramKind.Cohort,
                AdminEmails = ["hr@example.com"],
            });
        }

        async Task Person(string id, string? department, string? level, ParticipantStatus status = ParticipantStatus.Registered)
        {
            var answers = new Dictionary<string, IReadOnlyList<string>>();
            if (department is not null)
            {
                answers[BuiltInQuestions.Department] = [department];
            }
            if (level is not null)
            {
                answers[BuiltInQuestions.Level] = [level];
            }
            await store.UpsertAsync(ParticipantRegistry.KeyOf(ProgramId, id), new Participant
            {
                Id = id,
                ProgramId = ProgramId,
                Email = id + "@example.com",
                Name = id,
                Answers = answers,
                Status = status,
                Source = new RegistrationSource(RegistrationSource.Api),
            });
        }
        await Person("ana", "Sales", "2");
        await Person("bo", "Engineering", "2");
        await Person("cy", "Sales", "4");
        await Person("di", "Finance", null);
        await Person("ed", null, "3");
        await Person("fay", "=SUM(1,2)", "1", ParticipantStatus.Withdrawn);
        await Person("gil", "Engineering", "4");

        async Task<string> Match(int index, string[] members, MatchStatus status = MatchStatus.Active, bool atRisk = false)
        {
            var key = WindowDocuments.Match(ProgramId, "w2", index);
            await store.UpsertAsync(key, new PublishedMatch
            {
                Id = key.Id,
                ProgramId = ProgramId,
                WindowId = "w2",
                Version = 1,
                Members = [.. members.Select(m => new MatchMember(m, m, m + "@example.com"))],
                PublishedAt = Intro,
                IntroducedAt = Intro,
                Status = status,
                AtRiskSince = atRisk ? Intro.AddDays(28) : null,
                EndedAt = status == MatchStatus.Ended ? Intro.AddDays(20) : null,
            });
            return key.Id;
        }
        var m1 = await Match(0, ["ana", "bo"]);
        var m2 = await Match(1, ["cy", "di"], atRisk: true);
        var m3 = await Match(2, ["ed", "fay"], MatchStatus.Ended);

        await store.UpsertAsync(WindowDocuments.Round(ProgramId, "w1"), new RoundResult("w1", 1, Intro.AddDays(-60), ["ana"]));
        await store.UpsertAsync(WindowDocuments.Round(ProgramId, "w2"), new RoundResult("w2", 1, Intro, ["gil"]));

        async Task CheckIn(string match, int round, string participant, CheckInAnswer answer, int? minutes = null) =>
            await store.UpsertAsync(EngagementDocuments.CheckIn(ProgramId, match, round, participant), new CheckInRecord
            {
                ProgramId = ProgramId,
                MatchId = match,
                ParticipantId = participant,
                Round = round,
                DueAt = Intro.AddDays(14 * round),
                Answer = answer,
                Minutes = minutes,
                AnsweredAt = answer == CheckInAnswer.None ? null : Intro.AddDays(14 * round + 1),
            });
        await CheckIn(m1, 1, "ana", CheckInAnswer.Met, 60);
        await CheckIn(m1, 1, "bo", CheckInAnswer.Met, 45);
        await CheckIn(m1, 2, "ana", CheckInAnswer.Met, 30);
        await CheckIn(m1, 2, "bo", CheckInAnswer.None);
        await CheckIn(m2, 1, "cy", CheckInAnswer.NotYet);
        await CheckIn(m2, 1, "di", CheckInAnswer.None);
        await CheckIn(m2, 2, "cy", CheckInAnswer.None);
        await CheckIn(m2, 2, "di", CheckInAnswer.NeedHelp);
        await CheckIn(m3, 1, "ed", CheckInAnswer.Met);
        await CheckIn(m3, 1, "fay", CheckInAnswer.Met, 50);

        async Task Survey(string participant, string? satisfaction = null, string? nps = null)
        {
            var answers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (satisfaction is not null)
            {
                answers[SurveyDefinition.Satisfaction] = satisfaction;
                answers[SurveyDefinition.Recommend] = nps!;
            }
            await store.UpsertAsync(EngagementDocuments.Survey(ProgramId, "mid", participant), new SurveyRecord
            {
                ProgramId = ProgramId,
                SurveyKey = "mid",
                ParticipantId = participant,
                SentAt = Intro.AddDays(45),
                ClosesAt = Intro.AddDays(59),
                RespondedAt = satisfaction is null ? null : Intro.AddDays(46),
                Answers = answers,
            });
        }
        await Survey("ana", "Very positive", "10");
        await Survey("bo", "Positive", "8");
        await Survey("cy", "Very positive", "9");
        await Survey("di", "Negative", "3");
        await Survey("ed");
        await Survey("fay", "Neutral", "7");
    }
}
