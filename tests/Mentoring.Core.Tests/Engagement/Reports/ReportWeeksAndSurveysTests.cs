using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Reports;

namespace Mentoring.Core.Tests.Engagement.Reports;

/// <summary>
/// The report's weekly activity (the dashboard's chart) and its survey figures at their edges, for
/// <see cref="ReportFixture"/>'s program: meetings on 16 March (m1 round 1, 60 minutes; m3 round 1, 50) and on 30 March
/// (m1 round 2, 30 minutes), all pairs introduced on Monday 1 March 2027.
/// </summary>
public sealed class ReportWeeksAndSurveysTests : ReportTestBase
{
    private static DateOnly Monday(int month, int day) => new(2027, month, day);

    [Fact]
    public void A_week_starts_on_Monday_in_the_programs_time_zone()
    {
        Assert.Equal(Monday(3, 15), ProgramReport.WeekOf(new DateTimeOffset(2027, 3, 21, 22, 30, 0, TimeSpan.Zero), "UTC")); // Sunday night
        Assert.Equal(Monday(3, 22), ProgramReport.WeekOf(new DateTimeOffset(2027, 3, 21, 23, 30, 0, TimeSpan.Zero), "Europe/Berlin")); // Monday 00:30 there
        Assert.Equal(Monday(3, 15), ProgramReport.WeekOf(new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.Zero), "UTC"));
    }

    [Fact]
    public async Task Every_week_from_the_first_intro_is_listed_with_its_meetings_and_hours_quiet_weeks_with_zeros()
    {
        var report = await ReportAtAsync(ReportFixture.Intro.AddDays(36)); // Tuesday 6 April

        Assert.Equal(
            [
                new WeekActivity(Monday(3, 1), 0, 0), new WeekActivity(Monday(3, 8), 0, 0), new WeekActivity(Monday(3, 15), 2, 110 / 60.0),
                new WeekActivity(Monday(3, 22), 0, 0), new WeekActivity(Monday(3, 29), 1, 0.5), new WeekActivity(Monday(4, 5), 0, 0),
            ],
            report.Weeks);
    }

    [Fact]
    public async Task The_chart_shows_the_last_26_weeks_at_most()
    {
        var report = await ReportAtAsync(ReportFixture.Intro.AddDays(400));

        Assert.Equal(ProgramReport.WeeksShown, report.Weeks.Count);
        Assert.Equal(ProgramReport.WeekOf(ReportFixture.Intro.AddDays(400), "UTC"), report.Weeks[^1].WeekOf);
        Assert.Equal(report.Weeks[^1].WeekOf.AddDays(-7 * 25), report.Weeks[0].WeekOf);
        Assert.All(report.Weeks, w => Assert.Equal((0, 0.0), (w.Meetings, w.Hours)));
    }

    [Fact]
    public async Task Nps_counts_9_and_10_as_promoters_7_and_8_as_passives_0_to_6_as_detractors_and_ignores_what_is_not_a_score()
    {
        // A survey the program no longer defines: reported after the defined ones, under its key, with answers off the scale kept.
        var answers = new[] { ("p1", "6", "Meh"), ("p2", "9", "Positive"), ("p3", "0", "Meh"), ("p4", "11", "Awful"), ("p5", "nine", null), ("p6", "7", "Positive") };
        foreach (var (who, nps, satisfaction) in answers)
        {
            var given = new Dictionary<string, string>(StringComparer.Ordinal) { ["nps"] = nps };
            if (satisfaction is not null)
            {
                given["satisfaction"] = satisfaction;
            }
            await Store.UpsertAsync(EngagementDocuments.Survey(ReportFixture.ProgramId, "pulse", who), new SurveyRecord
            {
                ProgramId = ReportFixture.ProgramId, SurveyKey = "pulse", ParticipantId = who, SentAt = ReportFixture.Intro, ClosesAt = ReportFixture.Intro.AddDays(14),
                RespondedAt = ReportFixture.Intro.AddDays(1), Answers = given,
            });
        }
        await Store.UpsertAsync(EngagementDocuments.Survey(ReportFixture.ProgramId, "another", "p1"), new SurveyRecord
        {
            ProgramId = ReportFixture.ProgramId, SurveyKey = "another", ParticipantId = "p1", SentAt = ReportFixture.Intro, ClosesAt = ReportFixture.Intro.AddDays(14),
        });

        var report = await ReportAtAsync(ReportFixture.Intro.AddDays(60));

        Assert.Equal(["mid", "end", "another", "pulse"], report.Total.Surveys.Select(s => s.Key));
        var pulse = report.Total.Surveys[3];
        Assert.Equal(("pulse", new ResponseFigures(6, 6, 100.0)), (pulse.Title, pulse.Responses));
        Assert.Equal(new NpsFigures(Answers: 4, Promoters: 1, Passives: 1, Detractors: 2, Score: -25), pulse.Nps);
        Assert.Equal([new OptionCount("Awful", 1), new OptionCount("Meh", 2), new OptionCount("Positive", 2)], pulse.Satisfaction);
        Assert.Equal(new ResponseFigures(1, 0, 0.0), report.Total.Surveys[2].Responses);
    }
}
