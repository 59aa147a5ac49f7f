using System.Globalization;
using System.Text.RegularExpressions;
using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Core.Programs;
using Mentoring.Sqlite.Windows;

namespace Mentoring.Server.Simulation;

/// <summary>
/// What the simulated participants did while choosing, counted by the script itself. Pairs formed while choosing are
/// counted from the "you are a pair" mails (one per member), with the hour each appeared.
/// </summary>
public sealed record ChoosingScriptResult
{
    public int Invited { get; init; }
    /// <summary>People who picked at least one suggestion.</summary>
    public int Picked { get; init; }
    public int Picks { get; init; }
    /// <summary>People who asked to be matched automatically (no picks).</summary>
    public int Automatic { get; init; }
    /// <summary>People who never opened their suggestions.</summary>
    public int IgnoredInvitations { get; init; }
    /// <summary>Request mails received, and how their recipients dealt with them (an answer that no longer applied is not counted).</summary>
    public int RequestsReceived { get; init; }
    public int Accepted { get; init; }
    public int Declined { get; init; }
    public int IgnoredRequests { get; init; }
    /// <summary>Pairs formed while choosing (mutual picks and accepted requests), from the "you are a pair" mails.</summary>
    public int PairsFormed { get; init; }
    /// <summary>Hours from choosing opening to each of those pairs' mails, in order.</summary>
    public IReadOnlyList<double> HoursToPair { get; init; } = [];
}

public static partial class ProgramSimulation
{
    /// <summary>Scripted choosing: the share of invited people who pick, and who ask to be matched automatically (the rest ignore the mail).</summary>
    private const double PickRate = 0.6, AutomaticRate = 0.15;
    /// <summary>How people answer a request (the rest ignore it until it lapses).</summary>
    private const double AcceptRate = 0.5, DeclineRate = 0.25;
    private const int ChoosingDays = 7;

    private static ChoosingPolicy UserLedPolicy => new() { Mode = PairingMode.UserLed, Suggestions = 5, MaxPicks = 2, ChoosingDays = ChoosingDays };

    /// <summary>
    /// From the invitations to the deadline, hour by hour: each person acts on their invitation at a random hour of the
    /// first two thirds of the choosing week (picks one or two of their top suggestions, those who asked them first; asks
    /// to be matched automatically; or ignores it), and each request is accepted, declined or ignored 6 to 54 hours after
    /// it arrives. Then the deadline passes and the engine drafts the rest.
    /// </summary>
    private static async Task<ChoosingScriptResult> ChooseAsync(IServiceProvider services, SimulatedClock clock, Random random, IMailbox mailbox,
        SqliteWindowHost windows, DateTimeOffset opened)
    {
        var desk = services.GetRequiredService<ChoosingDesk>();
        var links = services.GetRequiredService<ChoosingLinks>();
        // Who has asked whom so far: a person who was asked by someone among their suggestions picks them first.
        var askedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var due = new PriorityQueue<Func<Task>, DateTimeOffset>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int invited = 0, picked = 0, picks = 0, automatic = 0, ignoredInvitations = 0, requests = 0, accepted = 0, declined = 0, ignoredRequests = 0;
        var end = opened.AddDays(ChoosingDays);

        for (var hour = opened; hour < end; hour = hour.AddHours(1))
        {
            clock.Set(hour);
            await windows.RunDueAsync();
            foreach (var mail in (await AllMails(mailbox)).Where(m => m.Message.Category == ChoosingMail.Category && seen.Add(m.Id)))
            {
                if (ChooseLink().Match(mail.Message.HtmlBody) is { Success: true } choose)
                {
                    invited++;
                    var roll = random.NextDouble();
                    var token = choose.Groups["token"].Value;
                    var me = links.Verify(token, ChoosingAction.Choose, hour).Grant!.ParticipantId;
                    var at = Earlier(hour.AddHours(random.Next(ChoosingDays * 24 * 2 / 3)), end.AddHours(-1));
                    if (roll < PickRate)
                    {
                        var count = 1 + random.Next(2);
                        due.Enqueue(async () =>
                        {
                            var page = await desk.ViewChoiceAsync(token);
                            var asked = askedBy.GetValueOrDefault(me) ?? [];
                            var chosen = page.Suggestions.OrderBy(s => asked.Contains(s.ParticipantId) ? 0 : 1).Take(count).Select(s => s.ParticipantId).ToList();
                            if (page.Outcome == ChoosingOutcome.Confirm && (await desk.ChooseAsync(token, chosen, fallback: true)).Outcome == ChoosingOutcome.Applied)
                            {
                                picked += chosen.Count > 0 ? 1 : 0;
                                automatic += chosen.Count == 0 ? 1 : 0; // nobody left to pick: they let the engine match them
                                picks += chosen.Count;
                            }
                        }, at);
                    }
                    else if (roll < PickRate + AutomaticRate)
                    {
                        due.Enqueue(async () =>
                        {
                            if ((await desk.ChooseAsync(token, [], fallback: true)).Outcome == ChoosingOutcome.Applied)
                            {
                                automatic++;
                            }
                        }, at);
                    }
                    else
                    {
                        ignoredInvitations++;
                    }
                }
                else if (RequestLink().Match(mail.Message.HtmlBody) is { Success: true } request)
                {
                    requests++;
                    var roll = random.NextDouble();
                    var token = request.Groups["token"].Value;
                    var grant = links.Verify(token, ChoosingAction.Answer, hour).Grant!;
                    (askedBy.TryGetValue(grant.ParticipantId, out var list) ? list : askedBy[grant.ParticipantId] = []).Add(grant.From!);
                    if (roll < AcceptRate + DeclineRate)
                    {
                        var accept = roll < AcceptRate;
                        due.Enqueue(async () =>
                        {
                            if ((await desk.AnswerAsync(token, accept)).Outcome == ChoosingOutcome.Applied)
                            {
                                accepted += accept ? 1 : 0;
                                declined += accept ? 0 : 1;
                            }
                        }, Earlier(hour.AddHours(6 + random.Next(48)), end.AddHours(-1)));
                    }
                    else
                    {
                        ignoredRequests++;
                    }
                }
            }
            // Everything due this hour, in time order; their mails are read in the next hour.
            while (due.TryPeek(out _, out var at) && at <= hour)
            {
                await due.Dequeue()();
            }
        }

        clock.Set(end);
        await windows.RunDueAsync(); // the deadline: pin the pairs formed, draft the rest, mail the draft
        var formed = (await AllMails(mailbox))
            .Where(m => m.Message.Category == ChoosingMail.Category && m.Message.IdempotencyKey.StartsWith("formed:", StringComparison.Ordinal))
            .GroupBy(m => m.Message.IdempotencyKey[..m.Message.IdempotencyKey.IndexOf(':', "formed:".Length)], StringComparer.Ordinal)
            .Select(g => (g.Min(m => m.QueuedAt) - opened).TotalHours)
            .Order()
            .ToList();
        return new ChoosingScriptResult
        {
            Invited = invited,
            Picked = picked,
            Picks = picks,
            Automatic = automatic,
            IgnoredInvitations = ignoredInvitations,
            RequestsReceived = requests,
            Accepted = accepted,
            Declined = declined,
            IgnoredRequests = ignoredRequests,
            PairsFormed = formed.Count,
            HoursToPair = formed,
        };
    }

    private static void PrintChoosing(TextWriter output, ChoosingScriptResult script, SimulationResult result)
    {
        var u = result.Report.UserLed;
        output.WriteLine(Inv($"User-led choosing ({ChoosingDays} days): {script.Invited} invited; {script.Picked} picked ({script.Picks} picks), {script.Automatic} asked to be matched automatically, {script.IgnoredInvitations} ignored the mail."));
        var late = script.RequestsReceived - script.Accepted - script.Declined - script.IgnoredRequests;
        output.WriteLine(Inv($"Requests: {script.RequestsReceived} received; {script.Accepted} accepted, {script.Declined} declined, {script.IgnoredRequests} ignored, {late} answered after they had closed (a pick back formed the pair, or someone was fully matched)."));
        if (u is null)
        {
            return;
        }
        output.WriteLine(Inv($"Requests as the window closed them: {u.Requests.Sent} sent, {u.Requests.Accepted} accepted (from the link or by picking back), {u.Requests.Declined} declined, {u.Requests.Lapsed} lapsed (unanswered when someone's capacity filled, or at the deadline)."));
        output.WriteLine(Inv($"Pairs: {u.Pairs} = {u.MutualPick.Pairs} by mutual pick ({Pct(u.MutualPick.Share)}), {u.AcceptedRequest.Pairs} by accepted request ({Pct(u.AcceptedRequest.Share)}), {u.Fallback.Pairs} by the engine at the deadline ({Pct(u.Fallback.Share)})."));
        output.WriteLine(Inv($"Decline rate {Pct(u.Requests.DeclineRate)} ({u.Requests.Declined} declined of {u.Requests.Answered} answered); time to pair over the {u.TimeToPair.Pairs} chosen pairs: median {u.TimeToPair.MedianHours} h, max {u.TimeToPair.MaxHours} h."));
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Pct(double? rate) => rate is { } r ? r.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("/api/choose/(?<token>[A-Za-z0-9_\\-\\.]+)")]
    private static partial Regex ChooseLink();

    [GeneratedRegex("/api/pair-requests/(?<token>[A-Za-z0-9_\\-\\.]+)")]
    private static partial Regex RequestLink();
}
