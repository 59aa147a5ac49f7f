using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Engagement;

public class RoleReportTests
{
    private static readonly DateTimeOffset T = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static PublishedMatch Match(string id, DateTimeOffset at, MatchStatus status, string mentor, string mentee) => new()
    {
        Id = id, ProgramId = "prog-1", WindowId = "w-" + id, Version = 1, PublishedAt = at, IntroducedAt = at, Status = status,
        Members = [new MatchMember(mentor, mentor, $"{mentor.ToLowerInvariant()}@example.com", "mentor"), new MatchMember(mentee, mentee, $"{mentee.ToLowerInvariant()}@example.com", "mentee")],
    };

    private static SurveyRecord Answered(string person, string matchId, string role, string nps) => new()
    {
        ProgramId = "prog-1", SurveyKey = "mid", ParticipantId = person, MatchId = matchId, Role = role,
        SentAt = T.AddDays(45), ClosesAt = T.AddDays(59), RespondedAt = T.AddDays(46),
        Answers = new Dictionary<string, string> { ["satisfaction"] = "Positive", ["nps"] = nps },
    };

    [Fact]
    public void Survey_answers_count_under_the_role_the_respondent_held_in_the_surveyed_match()
    {
        // Ana said either: she mentored Cy first (that pair ended), then Ben mentored her; her survey is about the second pair.
        var inputs = new ReportInputs
        {
            Program = Program() with { Kind = ProgramKind.Evergreen, Pairing = PairingShape.MentorMentee },
            Participants =
            [
                Person("Ana", A(BuiltInQuestions.Role, "either"), A(BuiltInQuestions.Capacity, "2")),
                Person("Ben", A(BuiltInQuestions.Role, "mentor"), A(BuiltInQuestions.Capacity, "3")),
                Person("Cy", A(BuiltInQuestions.Role, "mentee")),
            ],
            Matches = [Match("m1", T, MatchStatus.Ended, "Ana", "Cy"), Match("m2", T.AddDays(30), MatchStatus.Active, "Ben", "Ana")],
            Surveys = [Answered("Ana", "m2", "mentee", "9"), Answered("Cy", "m1", "mentee", "10")],
        };

        var report = ProgramReport.Compute(inputs, T.AddDays(50));

        var byRole = report.ByRole.ToDictionary(s => s.Segment, s => s.Figures);
        Assert.Equal(2, byRole["mentor"].Matched); // Ana's first role, and Ben
        Assert.Equal(0, byRole["mentor"].Surveys.Single(s => s.Key == "mid").Responses.Answered);
        Assert.Equal(2, byRole["mentee"].Surveys.Single(s => s.Key == "mid").Responses.Answered);
        Assert.Equal([("Ana", 0, 2), ("Ben", 1, 3)], report.MentorLoad.Select(l => (l.Name, l.ActiveMentees, l.Capacity)));
    }
}
