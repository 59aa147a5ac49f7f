using Mentoring.Core.Programs;
using Mentoring.Core.Tests.Mail;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

public sealed class WindowOpeningTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Opening_twice_for_the_same_closing_minute_is_the_same_window()
    {
        var closes = new DateTimeOffset(2027, 3, 8, 17, 30, 5, TimeSpan.Zero);
        Assert.Equal("w-20270308-1730", WindowOpening.WindowIdFor(closes));
        Assert.Equal(WindowOpening.WindowIdFor(closes), WindowOpening.WindowIdFor(closes.AddSeconds(50)));
        Assert.NotEqual(WindowOpening.WindowIdFor(closes), WindowOpening.WindowIdFor(closes.AddMinutes(1)));
    }

    [Fact]
    public void The_window_id_is_the_utc_minute_whatever_offset_the_admin_used()
    {
        var berlin = new DateTimeOffset(2027, 3, 8, 18, 30, 0, TimeSpan.FromHours(1));
        Assert.Equal("w-20270308-1730", WindowOpening.WindowIdFor(berlin));
    }

    [Fact]
    public void A_window_captures_the_program_policy_when_it_opens()
    {
        var program = MailFixtures.Program() with
        {
            Windows = new WindowPolicy { ReminderIntervalHours = 36, RemindersBeforeExpiry = 4, EvergreenRoundDays = 14 },
        };
        var opened = WindowOpening.For(program, Now.AddDays(7), Now);
        Assert.Equal(new WindowOpened("spring", "w-20270308-0900", Now.AddDays(7),
            new WindowTimings(TimeSpan.FromHours(36), 4, TimeSpan.FromDays(14)), Evergreen: false, Now), opened);
    }

    [Fact]
    public void Only_an_evergreen_program_opens_windows_that_roll_over()
    {
        Assert.True(WindowOpening.For(MailFixtures.Program(ProgramKind.Evergreen), Now, Now).Evergreen);
        Assert.False(WindowOpening.For(MailFixtures.Program(ProgramKind.Groups), Now, Now).Evergreen);
    }
}
