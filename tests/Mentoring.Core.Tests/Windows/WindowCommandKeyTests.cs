using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

/// <summary>
/// Hosts skip a command whose key they have already executed (journal rows, Durable activity ids, mail idempotency keys).
/// Changing a key format makes every host run in-flight commands again after an upgrade, so the formats are pinned here.
/// </summary>
public sealed class WindowCommandKeyTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<WindowCommand, string> Keys => new()
    {
        { new ScheduleTimer("close", At), "timer:close" },
        { new ScheduleTimer(MatchingWindowDecider.ReminderTimer(2, 3), At), "timer:reminder:v2:3" },
        { new ComputeDraft(3, new DraftEditSet()), "compute:v3" },
        { new MailDraft(2), "mail-draft:v2" },
        { new MailReminder(2, 1, 3), "mail-reminder:v2:1" },
        { new MailExpiry(4), "mail-expiry:v4" },
        { new PublishPairs(5), "publish:v5" },
        { new MailIntros(6), "intros:v6" },
        { new OpenNextWindow(At), "next-window" },
        { new CompleteWindow(WindowPhase.Expired), "complete" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_command_kind_has_a_pinned_idempotency_key(WindowCommand command, string key) => Assert.Equal(key, command.Key);

    [Fact]
    public void A_compute_key_names_the_version_only_so_a_retry_with_the_same_edits_is_the_same_command()
    {
        var edits = new DraftEditSet { ForbiddenPairs = [new ParticipantPair("a", "b")] };
        Assert.Equal(new ComputeDraft(2, new DraftEditSet()).Key, new ComputeDraft(2, edits).Key);
        Assert.NotEqual(new ComputeDraft(2, edits).Key, new ComputeDraft(3, edits).Key);
    }

    [Fact]
    public void Reminders_of_one_version_have_distinct_keys_and_ignore_the_total()
    {
        Assert.NotEqual(new MailReminder(1, 1, 2).Key, new MailReminder(1, 2, 2).Key);
        Assert.NotEqual(new MailReminder(1, 1, 2).Key, new MailReminder(2, 1, 2).Key);
        Assert.Equal(new MailReminder(1, 1, 2).Key, new MailReminder(1, 1, 3).Key);
    }
}
