using System.Globalization;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Windows;

/// <summary>How a window starts: its id comes from its closing minute, so opening the same window twice is one window.</summary>
public static class WindowOpening
{
    public static string WindowIdFor(DateTimeOffset closesAt) =>
        "w-" + closesAt.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);

    public static WindowTimings Timings(MentoringProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new(TimeSpan.FromHours(program.Windows.ReminderIntervalHours), program.Windows.RemindersBeforeExpiry,
            TimeSpan.FromDays(program.Windows.EvergreenRoundDays));
    }

    public static WindowOpened For(MentoringProgram program, DateTimeOffset closesAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new WindowOpened(program.Id, WindowIdFor(closesAt), closesAt, Timings(program), program.Kind == ProgramKind.Evergreen, now)
        {
            Choosing = program.Choosing.Mode == PairingMode.UserLed
                ? new ChoosingPlan(TimeSpan.FromDays(program.Choosing.ChoosingDays), program.Choosing.MaxPicks, program.Choosing.AutoApprove)
                : null,
        };
    }
}
