using Mentoring.Core.Links;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Choosing;

public enum ChoosingOutcome
{
    /// <summary>The page to choose or answer; nothing changed yet.</summary>
    Confirm,
    Applied,
    AlreadyDone,
    /// <summary>The form was not acceptable (for example a pick that is not a suggestion); nothing changed.</summary>
    Incomplete,
    /// <summary>Choosing is over, or the request is no longer open.</summary>
    Closed,
    Expired,
    Invalid,
}

/// <summary>What a chooser's page shows: the suggestions still available and how many may be picked.</summary>
public sealed record ChoicePage(ChoosingOutcome Outcome, string Message)
{
    public string? ProgramName { get; init; }
    public string? ParticipantName { get; init; }
    public IReadOnlyList<SuggestedPartner> Suggestions { get; init; } = [];
    public int MaxPicks { get; init; }
    public string? Deadline { get; init; }
    /// <summary>Roles programs: the chooser's registered side (the page says "Choose your mentor"); null for peers.</summary>
    public ChooserRole? Role { get; init; }
}

/// <summary>What the page behind a request shows: who asks and why they fit.</summary>
public sealed record RequestPage(ChoosingOutcome Outcome, string Message)
{
    public string? ProgramName { get; init; }
    public string? ParticipantName { get; init; }
    public string? FromName { get; init; }
    /// <summary>Roles programs: "mentor" when the requester offers to mentor, "mentee" when they ask to be mentored; null for peers.</summary>
    public string? FromRole { get; init; }
    public IReadOnlyList<string> Reasons { get; init; } = [];
}

/// <summary>
/// The participant side of user-led pairing, behind signed links. GET shows a page and changes nothing (mail scanners
/// open links); POST sends the choice or the answer to the window, whose decider judges it (duplicates change nothing).
/// </summary>
public sealed class ChoosingDesk(ChoosingLinks links, IWindowHost host, IDocumentStore store, TimeProvider clock)
{
    public async Task<ChoicePage> ViewChoiceAsync(string token, CancellationToken cancellationToken = default) =>
        (await CheckChoiceAsync(token, cancellationToken)).Page;

    public async Task<ChoicePage> ChooseAsync(string token, IReadOnlyList<string> picks, bool fallback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(picks);
        var (page, grant) = await CheckChoiceAsync(token, cancellationToken);
        if (page.Outcome != ChoosingOutcome.Confirm || grant is null)
        {
            return page;
        }
        var chosen = picks.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
        var offered = page.Suggestions.ToDictionary(s => s.ParticipantId, StringComparer.Ordinal);
        if (chosen.Count > page.MaxPicks)
        {
            return page with { Outcome = ChoosingOutcome.Incomplete, Message = $"Pick at most {page.MaxPicks} people." };
        }
        if (chosen.FirstOrDefault(p => !offered.ContainsKey(p)) is not null)
        {
            return page with { Outcome = ChoosingOutcome.Incomplete, Message = "Pick from the people suggested to you on this page; one of them may have just been fully matched." };
        }
        if (chosen.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return page with { Outcome = ChoosingOutcome.Incomplete, Message = $"You picked {offered[twice.Key].Name} twice; pick each person once." };
        }
        await host.RaiseAsync(grant.ProgramId, grant.WindowId, new PartnerPicked(grant.ParticipantId, chosen, fallback, clock.GetUtcNow()), cancellationToken);
        var message = chosen.Count == 0
            ? (fallback ? "Done: we will match you with someone who fits you well when choosing closes." : "Done: you will not be matched automatically this round.")
            : $"Done: you picked {MailFormat.Names([.. chosen.Select(p => offered[p].Name)])}. Anyone who picked you too is your partner now; the others are asked, and you will get an email as soon as a pair forms.";
        return page with { Outcome = ChoosingOutcome.Applied, Message = message, Suggestions = [] };
    }

    public async Task<RequestPage> ViewRequestAsync(string token, CancellationToken cancellationToken = default) =>
        (await CheckRequestAsync(token, cancellationToken)).Page;

    public async Task<RequestPage> AnswerAsync(string token, bool? accept, CancellationToken cancellationToken = default)
    {
        var (page, grant) = await CheckRequestAsync(token, cancellationToken);
        if (page.Outcome != ChoosingOutcome.Confirm || grant is null)
        {
            return page;
        }
        if (accept is not { } yes)
        {
            return page with { Outcome = ChoosingOutcome.Incomplete, Message = "Please press Accept or Decline." };
        }
        await host.RaiseAsync(grant.ProgramId, grant.WindowId, new RequestAnswered(grant.From!, grant.ParticipantId, yes, clock.GetUtcNow()), cancellationToken);
        return page with
        {
            Outcome = ChoosingOutcome.Applied,
            Message = yes
                ? page.FromRole switch
                {
                    BuiltInQuestions.RoleOptions.Mentor => $"Done: {page.FromName} is your mentor. You will both get an email, and the intro follows.",
                    BuiltInQuestions.RoleOptions.Mentee => $"Done: you will mentor {page.FromName}. You will both get an email, and the intro follows.",
                    _ => $"Done: you and {page.FromName} are a pair. You will both get an email, and the intro follows.",
                }
                : $"Done: you declined. {page.FromName} is not told who declined; we will find them another partner.",
        };
    }

    private async Task<(ChoicePage Page, ChoosingGrant? Grant)> CheckChoiceAsync(string token, CancellationToken ct)
    {
        var (grant, problem) = links.Verify(token, ChoosingAction.Choose, clock.GetUtcNow());
        if (grant is null)
        {
            return (new ChoicePage(ChoosingOutcome.Invalid, "This link is not valid. Please use the link from your email as it is."), null);
        }
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(grant.ProgramId), ct))?.Value;
        var sheet = (await store.ReadAsync<ChoiceSheet>(ChoiceSheet.KeyOf(grant.ProgramId, grant.WindowId, grant.ParticipantId), ct))?.Value;
        var window = await host.GetAsync(grant.ProgramId, grant.WindowId, ct);
        if (program is null || sheet is null || window?.Choosing is not { } choosing)
        {
            return (new ChoicePage(ChoosingOutcome.Invalid, "This link is not valid. Please use the link from your email as it is."), null);
        }
        var page = new ChoicePage(ChoosingOutcome.Confirm, "")
        {
            ProgramName = program.Name,
            ParticipantName = sheet.Name,
            MaxPicks = Math.Min(choosing.Plan.MaxPicks, program.Choosing.Suggestions),
            Deadline = MailFormat.LocalTime(sheet.EndsAt, program.TimeZone),
            Role = choosing.Roles.TryGetValue(grant.ParticipantId, out var role) ? role : null,
        };
        if (problem == TokenProblem.Expired || window.Phase != WindowPhase.Choosing)
        {
            return (page with { Outcome = problem == TokenProblem.Expired ? ChoosingOutcome.Expired : ChoosingOutcome.Closed,
                Message = "Choosing has closed for this round. Everyone still without a partner is being matched by the program." }, grant);
        }
        if (choosing.Chose.Contains(grant.ParticipantId))
        {
            return (page with { Outcome = ChoosingOutcome.AlreadyDone, Message = "You already sent your choice for this round. We will email you when a pair forms." }, grant);
        }
        if (choosing.IsFull(grant.ParticipantId))
        {
            return (page with { Outcome = ChoosingOutcome.AlreadyDone, Message = "You are already fully matched this round: someone accepted your place. Your intro follows." }, grant);
        }
        // People who are fully matched are no longer suggested; nor is anyone already paired with this person, nor (roles)
        // anyone whose side no longer fits: an "either" person who took the same side as the chooser meanwhile.
        var available = sheet.Suggestions
            .Where(s => choosing.Capacities.ContainsKey(s.ParticipantId) && !choosing.IsFull(s.ParticipantId) && !choosing.Paired(grant.ParticipantId, s.ParticipantId)
                && choosing.MentorOf(grant.ParticipantId, s.ParticipantId) is not null)
            .Take(program.Choosing.Suggestions)
            .ToList();
        var message = available.Count == 0
            ? "Nobody is available to pick right now. You can still let us match you when choosing closes."
            : $"Pick up to {page.MaxPicks} people, in order, or let us match you. Choosing closes {page.Deadline}.";
        return (page with { Suggestions = available, Message = message }, grant);
    }

    private async Task<(RequestPage Page, ChoosingGrant? Grant)> CheckRequestAsync(string token, CancellationToken ct)
    {
        var (grant, problem) = links.Verify(token, ChoosingAction.Answer, clock.GetUtcNow());
        if (grant is null)
        {
            return (new RequestPage(ChoosingOutcome.Invalid, "This link is not valid. Please use the link from your email as it is."), null);
        }
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(grant.ProgramId), ct))?.Value;
        var window = await host.GetAsync(grant.ProgramId, grant.WindowId, ct);
        var fromSheet = (await store.ReadAsync<ChoiceSheet>(ChoiceSheet.KeyOf(grant.ProgramId, grant.WindowId, grant.From!), ct))?.Value;
        var toSheet = (await store.ReadAsync<ChoiceSheet>(ChoiceSheet.KeyOf(grant.ProgramId, grant.WindowId, grant.ParticipantId), ct))?.Value;
        if (program is null || window?.Choosing is not { } choosing || fromSheet is null || toSheet is null)
        {
            return (new RequestPage(ChoosingOutcome.Invalid, "This link is not valid. Please use the link from your email as it is."), null);
        }
        var request = choosing.Requests.FirstOrDefault(r => r.From == grant.From && r.To == grant.ParticipantId);
        var fromRole = request?.Mentor is not { } mentor ? null
            : mentor == grant.From ? BuiltInQuestions.RoleOptions.Mentor : BuiltInQuestions.RoleOptions.Mentee;
        var wish = fromRole is null ? $"{fromSheet.Name} would like to be your partner" : ChoosingMail.RequestWish(fromSheet.Name, fromRole);
        var page = new RequestPage(ChoosingOutcome.Confirm, $"{wish} in {program.Name}.")
        {
            ProgramName = program.Name,
            ParticipantName = toSheet.Name,
            FromName = fromSheet.Name,
            FromRole = fromRole,
            // The requester picked from their own sheet, so the pair's shared reasons are always there (not always on the
            // sheet of the person asked, whose top suggestions may not include the requester).
            Reasons = fromSheet.Suggestions.FirstOrDefault(s => s.ParticipantId == grant.ParticipantId)?.Reasons ?? [],
        };
        if (choosing.Paired(grant.From!, grant.ParticipantId))
        {
            return (page with { Outcome = ChoosingOutcome.AlreadyDone, Message = $"You and {fromSheet.Name} are already a pair." }, grant);
        }
        if (request is { Status: RequestStatus.Declined })
        {
            return (page with { Outcome = ChoosingOutcome.AlreadyDone, Message = "You already declined this request." }, grant);
        }
        if (problem == TokenProblem.Expired || window.Phase != WindowPhase.Choosing || request is not { Status: RequestStatus.Open })
        {
            return (page with { Outcome = problem == TokenProblem.Expired ? ChoosingOutcome.Expired : ChoosingOutcome.Closed,
                Message = "This request is no longer open: choosing has closed, or one of you is already fully matched." }, grant);
        }
        return (page, grant);
    }
}
