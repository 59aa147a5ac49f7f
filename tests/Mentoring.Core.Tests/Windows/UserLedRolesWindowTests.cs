using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Registration;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

/// <summary>
/// A user-led mentor/mentee program on the embedded store and window runner: invitations by side, requests and pairs
/// that say who mentors whom, the request closed when an "either" person took the other side, and what is published.
/// </summary>
public sealed class UserLedRolesWindowTests : IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    private const string Deadline = "Thu 4 Mar 2027, 10:00 (Europe/Berlin)";
    private static readonly DateTimeOffset EndsAt = EmbeddedProgram.T0.AddDays(3);
    private readonly EmbeddedProgram program = new();
    private readonly Dictionary<string, string> ids = new(StringComparer.Ordinal);
    private string windowId = "";

    public void Dispose() => program.Dispose();

    private DateTimeOffset Now => program.Clock.GetUtcNow();

    private static string UserLedRoles(bool autoApprove = false) => $$"""
        "pairing": "mentorMentee",
        "roles": { "maxMentees": 2, "seniorityGap": 1 },
        "choosing": { "mode": "userLed", "suggestions": 4, "maxPicks": 2, "choosingDays": 3, "autoApprove": {{(autoApprove ? "true" : "false")}} },
        """;

    /// <summary>Two mentors (Mara takes two mentees, Milo one), Eve who could do either, and three mentees.</summary>
    private async Task RegisterAsync()
    {
        foreach (var (name, role, level, department, capacity) in new[]
        {
            ("Mara", "mentor", 5, "Sales", "2"), ("Milo", "mentor", 4, "Engineering", "1"), ("Eve", "either", 3, "Finance", "1"),
            ("Nia", "mentee", 1, "Engineering", null), ("Ola", "mentee", 2, "Finance", null), ("Pia", "mentee", 1, "Sales", null),
        })
        {
            var answers = new Dictionary<string, IReadOnlyList<string>>
            {
                ["department"] = [department], ["level"] = [$"{level}"], ["role"] = [role],
            };
            if (capacity is not null)
            {
                answers["capacity"] = [capacity];
            }
            var outcome = await program.Registry.RegisterAsync(Spring, new RegistrationRequest
            {
                Email = $"{name.ToLowerInvariant()}@example.com", Name = name, Consent = true, Answers = answers,
                Source = new RegistrationSource(RegistrationSource.Api),
            });
            ids[name] = outcome.Participant.Value.Id;
        }
    }

    private async Task OpenAsync(bool autoApprove = false)
    {
        await program.CreateProgramAsync(extra: UserLedRoles(autoApprove));
        await RegisterAsync();
        windowId = (await program.CloseNowAsync()).WindowId;
    }

    private IReadOnlyList<MailMessage> MailsTo(string name, string subject = "") =>
        [.. program.Mailer.OfCategory(ChoosingMail.Category)
            .Where(m => m.To.Single().Email == $"{name.ToLowerInvariant()}@example.com" && m.Subject.Contains(subject, StringComparison.Ordinal))];

    private Task Pick(string who, params string[] picks) => Pick(who, fallback: true, picks);

    private Task Pick(string who, bool fallback, params string[] picks) =>
        program.Host.RaiseAsync(Spring, windowId, new PartnerPicked(ids[who], [.. picks.Select(p => ids[p])], fallback, Now));

    private Task Accept(string from, string to) =>
        program.Host.RaiseAsync(Spring, windowId, new RequestAnswered(ids[from], ids[to], true, Now));

    /// <summary>
    /// Nia asks Mara, Mara asks Ola and Eve, Pia asks Eve to mentor her, Eve asks Milo, Ola asks Milo; then Mara takes Nia and
    /// Milo takes Eve, who from then on is a mentee (and Milo is full).
    /// </summary>
    private async Task ChooseAsync()
    {
        await Pick("Nia", "Mara");
        await Pick("Mara", "Ola", "Eve");
        await Pick("Pia", "Eve");
        await Pick("Eve", "Milo");
        await Pick("Ola", "Milo");
        program.Clock.Advance(TimeSpan.FromHours(3));
        await Accept("Nia", "Mara");
        await Accept("Eve", "Milo");
    }

    [Fact]
    public async Task Mentees_are_invited_to_choose_a_mentor_and_mentors_their_mentees_each_with_their_capacity()
    {
        await OpenAsync();

        Assert.Equal($"[Spring buddies] Choose your mentor by {Deadline}", Assert.Single(MailsTo("Nia")).Subject);
        var mentor = Assert.Single(MailsTo("Mara"));
        Assert.Equal($"[Spring buddies] Choose your mentees by {Deadline}", mentor.Subject);
        Assert.Contains("You need not pick anyone: mentees can ask you", mentor.TextBody, StringComparison.Ordinal);
        var either = Assert.Single(MailsTo("Eve"));
        Assert.Equal($"[Spring buddies] Choose your mentoring partner by {Deadline}", either.Subject);
        Assert.Contains("people you could mentor or learn from", either.TextBody, StringComparison.Ordinal);
        var choosing = (await program.StateAsync(windowId))!.Choosing!;
        Assert.Equal(
            [("Eve", 1, ChooserRole.Either), ("Mara", 2, ChooserRole.Mentor), ("Milo", 1, ChooserRole.Mentor),
             ("Nia", 1, ChooserRole.Mentee), ("Ola", 1, ChooserRole.Mentee), ("Pia", 1, ChooserRole.Mentee)],
            ids.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, choosing.Capacities[p.Value], choosing.Roles[p.Value])));
    }

    [Fact]
    public async Task Requests_and_pairs_say_who_would_mentor_whom()
    {
        await OpenAsync();

        await ChooseAsync();

        Assert.Equal("[Spring buddies] Nia would like you to be their mentor", Assert.Single(MailsTo("Mara", "would like")).Subject);
        var offer = Assert.Single(MailsTo("Ola", "would like"));
        Assert.Equal("[Spring buddies] Mara would like to be your mentor", offer.Subject);
        Assert.Contains("Mara picked you as a mentee in Spring buddies and offers to mentor you.", offer.TextBody, StringComparison.Ordinal);
        Assert.Equal("[Spring buddies] Pia would like you to be their mentor", Assert.Single(MailsTo("Eve", "Pia would like")).Subject);
        Assert.Equal("[Spring buddies] Mara would like to be your mentor", Assert.Single(MailsTo("Eve", "Mara would like")).Subject);
        Assert.Single(MailsTo("Nia", "Mara is your mentor"));
        Assert.Single(MailsTo("Mara", "You will mentor Nia"));
        Assert.Single(MailsTo("Eve", "Milo is your mentor"));
        Assert.Single(MailsTo("Milo", "You will mentor Eve"));
    }

    [Fact]
    public async Task A_mentors_offer_reads_as_an_offer_even_when_another_mentor_asked_the_same_mentee_first()
    {
        await OpenAsync();

        await Pick("Milo", "Ola");
        await Pick("Mara", "Ola");

        Assert.Single(MailsTo("Ola", "Milo would like to be your mentor"));
        Assert.Single(MailsTo("Ola", "Mara would like to be your mentor"));
    }

    [Fact]
    public async Task A_request_closes_kindly_when_the_person_asked_is_full_or_took_the_other_side()
    {
        await OpenAsync();

        await ChooseAsync();

        // Ola waited on Milo, who is now full.
        var full = Assert.Single(MailsTo("Ola", "fully matched"));
        Assert.Equal("[Spring buddies] Milo is fully matched", full.Subject);
        // Mara offered to mentor Eve, who is now mentored by Milo: full. Pia asked Eve to mentor her; Eve paired as a mentee instead.
        Assert.Single(MailsTo("Mara", "Eve is fully matched"));
        var otherSide = Assert.Single(MailsTo("Pia", "no longer available"));
        Assert.Equal("[Spring buddies] Eve is no longer available as a mentor", otherSide.Subject);
        Assert.Contains("Eve could mentor or be mentored, and has just paired as a mentee, so they will not mentor anyone this round",
            otherSide.TextBody, StringComparison.Ordinal);
        Assert.Contains($"when choosing closes, {Deadline}.", otherSide.TextBody, StringComparison.Ordinal);
        // Mara still has room for a second mentee: her request to Ola stays open, and nobody waiting on her hears anything.
        Assert.Empty(MailsTo("Nia", "fully matched"));
        var requests = (await program.StateAsync(windowId))!.Choosing!.Requests;
        Assert.Equal(RequestStatus.Open, requests.Single(r => r.From == ids["Mara"] && r.To == ids["Ola"]).Status);
        Assert.Empty(await program.PendingCommandsAsync(windowId));
    }

    [Fact]
    public async Task The_mentee_the_engine_gives_a_mentor_with_room_left_is_published_as_the_engines_pair()
    {
        await OpenAsync();
        await ChooseAsync();
        var chosenAt = Now;

        await program.PassAsync(TimeSpan.FromDays(3));
        await program.Host.RaiseAsync(Spring, windowId, new DecisionReceived(1, DecisionAction.Approve, "hr@example.com", Now));

        var matches = (await program.Store.QueryAllAsync<PublishedMatch>(Spring, WindowDocuments.MatchKind)).Select(m => m.Value).ToList();
        string Names(PublishedMatch m) => string.Join("+", m.Members.Select(x => x.Name).Order(StringComparer.Ordinal));
        var byNames = matches.ToDictionary(Names, StringComparer.Ordinal);
        Assert.Equal((PairOrigin.AcceptedRequest, chosenAt), (byNames["Mara+Nia"].FormedBy, byNames["Mara+Nia"].FormedAt));
        Assert.Equal((PairOrigin.AcceptedRequest, chosenAt), (byNames["Eve+Milo"].FormedBy, byNames["Eve+Milo"].FormedAt));
        var second = Assert.Single(matches, m => m.Members.Any(x => x.Name == "Mara") && m.Members.All(x => x.Name != "Nia"));
        Assert.Equal((PairOrigin.Fallback, EndsAt), (second.FormedBy, second.FormedAt));
        Assert.Equal(ids["Mara"], second.Members[0].ParticipantId); // the mentor first
    }

    [Fact]
    public async Task In_an_evergreen_program_a_mentor_is_invited_to_the_next_round_with_the_room_their_current_mentees_leave()
    {
        await program.CreateProgramAsync(kind: "evergreen", extra: UserLedRoles(autoApprove: true));
        await RegisterAsync();
        windowId = (await program.CloseNowAsync()).WindowId;
        await Pick("Mara", fallback: false); // Mara takes only mentees who ask her
        await Pick("Nia", "Mara");
        await Accept("Nia", "Mara");
        await program.PassAsync(TimeSpan.FromDays(3)); // the round is drafted, approved automatically and published
        Assert.Single(await program.Store.QueryAllAsync<PublishedMatch>(Spring, WindowDocuments.MatchKind), m => m.Value.Members.Any(x => x.Name == "Mara"));

        await program.PassAsync(TimeSpan.FromDays(28)); // the next round closes: choosing starts again

        var next = (await program.Host.ListAsync(Spring)).Single(w => w.WindowId != windowId);
        Assert.Equal(WindowPhase.Choosing, next.Phase);
        // Mara holds one active mentee of two; Nia and the others placed last round hold all they may.
        Assert.Equal(1, next.Choosing!.Capacities[ids["Mara"]]);
        Assert.DoesNotContain(ids["Nia"], next.Choosing.Capacities.Keys);
    }
}
