using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Server.Simulation;
using Mentoring.Testing;

namespace Mentoring.Server.Tests.Simulation;

/// <summary>
/// <c>simulate --user-led</c>: a week of scripted choosing through the real embedded host, then the approval and the
/// engagement weeks; the report's user-led figures are held against what the scripted participants did and the mails
/// they got.
/// </summary>
public sealed class UserLedSimulationTests(UserLedSimulationTests.OneRun run) : IClassFixture<UserLedSimulationTests.OneRun>
{
    private static readonly SimulationOptions Options = new() { People = 20, Seed = 5, Weeks = 2, Unsubscribers = 0, UserLed = true };
    private readonly SimulationResult result = run.Result;
    private ChoosingScriptResult Script => result.Choosing!;

    /// <summary>One simulated user-led cycle shared by the assertions below.</summary>
    public sealed class OneRun : IAsyncLifetime, IDisposable
    {
        private readonly TempFolder folder = new();

        public SimulationResult Result { get; private set; } = null!;

        public async Task InitializeAsync() => Result = await ProgramSimulation.RunAsync(Options, folder.Path);

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => folder.Dispose();
    }

    [Fact]
    public void Everyone_is_invited_and_the_script_picks_accepts_declines_and_ignores()
    {
        Assert.Equal(Options.People, Script.Invited);
        Assert.True(Script.Picked > 0 && Script.Automatic > 0 && Script.IgnoredInvitations > 0, $"picked {Script.Picked}, automatic {Script.Automatic}, ignored {Script.IgnoredInvitations}");
        Assert.True(Script.Accepted > 0 && Script.Declined > 0, $"accepted {Script.Accepted}, declined {Script.Declined}");
        Assert.Equal(0, result.ParticipantMailsBeforeApproval); // besides the choosing mails, nothing before the approval
        Assert.Equal(1, result.MailsByCategory[MailCategories.Draft]);
    }

    [Fact]
    public void The_report_counts_the_pairs_by_how_they_formed_as_the_participants_formed_them()
    {
        var userLed = result.Report.UserLed!;
        Assert.Equal(result.Pairs, userLed.Pairs);
        Assert.Equal(Script.PairsFormed, userLed.MutualPick.Pairs + userLed.AcceptedRequest.Pairs);
        Assert.Equal(Script.Accepted, userLed.AcceptedRequest.Pairs); // every applied accept formed one pair
        Assert.True(userLed.MutualPick.Pairs > 0 && userLed.Fallback.Pairs > 0, $"mutual {userLed.MutualPick.Pairs}, fallback {userLed.Fallback.Pairs}");
        Assert.Equal(userLed.Pairs - Script.PairsFormed, userLed.Fallback.Pairs);
        Assert.Equal(Options.People, result.Report.Total.Matched); // nobody opted out of the fallback
    }

    [Fact]
    public void The_decline_rate_counts_the_declines_over_the_answered_requests()
    {
        var requests = result.Report.UserLed!.Requests;
        Assert.Equal(Script.Declined, requests.Declined);
        Assert.Equal(Script.RequestsReceived, requests.Sent); // one request mail per request
        Assert.Equal(requests.Sent, requests.Accepted + requests.Declined + requests.Lapsed);
        Assert.Equal(Math.Round(100.0 * requests.Declined / (requests.Accepted + requests.Declined), 1), requests.DeclineRate);
        Assert.True(requests.Lapsed >= Script.IgnoredRequests - (requests.Accepted - Script.Accepted), "ignored requests lapse unless a pick back closed them");
    }

    [Fact]
    public void The_time_to_pair_matches_when_the_pair_mails_went_out()
    {
        var hours = Script.HoursToPair;
        var median = hours.Count % 2 == 1 ? hours[hours.Count / 2] : (hours[(hours.Count / 2) - 1] + hours[hours.Count / 2]) / 2;
        var time = result.Report.UserLed!.TimeToPair;
        Assert.Equal(hours.Count, time.Pairs);
        Assert.Equal(Math.Round(median, 1), time.MedianHours);
        Assert.Equal(Math.Round(hours[^1], 1), time.MaxHours);
        Assert.True(hours[^1] > hours[0], "pairs formed over the week, not all at once");
    }

    [Fact]
    public async Task The_command_line_prints_what_happened_while_people_chose()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await ProgramSimulation.RunFromCommandLineAsync(["--people", "8", "--weeks", "1", "--seed", "2", "--user-led"], output));
        var text = output.ToString();
        Assert.Contains("User-led choosing (7 days): 8 invited;", text, StringComparison.Ordinal);
        Assert.Contains("by mutual pick", text, StringComparison.Ordinal);
        Assert.Contains("Decline rate", text, StringComparison.Ordinal);
        Assert.Contains("\"timeToPair\"", text, StringComparison.Ordinal);
        Assert.Contains(ChoosingMail.Category, text, StringComparison.Ordinal); // the mail counts name the choosing mails
    }
}
