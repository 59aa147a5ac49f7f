using FsCheck;
using FsCheck.Fluent;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>The rounds of a match, against a plain count of due times, and the cadence in the mails' words.</summary>
public sealed class CheckInScheduleTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);
    private static readonly DateTimeOffset Intro = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The open round by walking the due times one by one: the last one due at or before now, while within the rounds.</summary>
    private static int? OpenByCounting(CheckInSchedule s, DateTimeOffset now)
    {
        int? open = null;
        for (var n = 1; n <= s.Rounds && s.DueAt(n) <= now; n++)
        {
            open = n;
        }
        return open;
    }

    [Fact]
    public void The_open_and_completed_rounds_agree_with_counting_due_times_at_any_instant_and_exactly_on_them()
    {
        var cases =
            from every in Gen.Choose(1, 45)
            from length in Gen.Choose(0, 400)
            from tick in Gen.Choose(-2, 2)
            from round in Gen.Choose(0, 40)
            from seconds in Gen.Choose(-86_400, 86_400 * 3)
            select (every, length, tick, round, seconds);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var schedule = new CheckInSchedule(Intro, c.every, c.length);
            // Exactly on a due time (give or take a tick), and anywhere around it.
            foreach (var now in new[] { schedule.DueAt(c.round).AddTicks(c.tick), schedule.DueAt(c.round).AddSeconds(c.seconds) })
            {
                var open = OpenByCounting(schedule, now);
                var due = Enumerable.Range(1, schedule.Rounds + 1).Count(n => schedule.DueAt(n) <= now); // enough to count the completed ones
                Assert.Equal(open is { } o && now < schedule.DueAt(o + 1) ? open : null, schedule.OpenRound(now));
                Assert.Equal(Math.Clamp(due - 1, 0, schedule.Rounds), schedule.CompletedRounds(now));
                for (var r = 0; r <= schedule.Rounds + 1; r++)
                {
                    Assert.Equal(r >= 1 && r <= schedule.Rounds && schedule.DueAt(r) <= now && now < schedule.DueAt(r + 1), schedule.IsOpen(r, now));
                }
            }
        }));
    }

    [Fact]
    public void A_policy_gives_at_least_one_day_between_rounds_and_no_negative_length()
    {
        var schedule = CheckInSchedule.For(new EngagementPolicy { CheckInEveryDays = 0, ProgramLengthDays = -5 }, Intro);

        Assert.Equal((1, 0, 0), (schedule.EveryDays, schedule.LengthDays, schedule.Rounds));
        Assert.Null(schedule.OpenRound(Intro.AddDays(3)));
        Assert.Equal((14, 90, 6), (CheckInSchedule.For(new EngagementPolicy(), Intro).EveryDays, CheckInSchedule.For(new EngagementPolicy(), Intro).LengthDays,
            CheckInSchedule.For(new EngagementPolicy(), Intro).Rounds));
    }

    [Fact]
    public void The_last_round_stays_open_one_more_interval_and_nothing_is_open_before_the_first()
    {
        var schedule = new CheckInSchedule(Intro, 14, 90); // rounds due on days 14, 28, ... 84

        Assert.Null(schedule.OpenRound(Intro.AddDays(-1)));
        Assert.Equal(0, schedule.CompletedRounds(Intro.AddDays(-1)));
        Assert.Null(schedule.OpenRound(Intro.AddDays(14).AddTicks(-1)));
        Assert.Equal(6, schedule.OpenRound(Intro.AddDays(97)));
        Assert.Null(schedule.OpenRound(Intro.AddDays(98)));
        Assert.Equal((5, 6), (schedule.CompletedRounds(Intro.AddDays(97)), schedule.CompletedRounds(Intro.AddDays(400))));
        Assert.Equal(Intro.AddDays(98), schedule.ClosesAt(6));
    }

    [Theory]
    [InlineData(1, "every day")]
    [InlineData(7, "every week")]
    [InlineData(14, "every two weeks")]
    [InlineData(21, "every three weeks")]
    [InlineData(28, "every four weeks")]
    [InlineData(30, "every month")]
    [InlineData(31, "every month")]
    [InlineData(35, "every 5 weeks")]
    [InlineData(10, "every 10 days")]
    [InlineData(2, "every 2 days")]
    public void The_cadence_is_said_in_words(int everyDays, string words) => Assert.Equal(words, CheckInSchedule.Wording(everyDays));
}
