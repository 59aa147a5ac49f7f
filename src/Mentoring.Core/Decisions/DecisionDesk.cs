using Mentoring.Core.Common;
using Mentoring.Core.Links;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Decisions;

public enum DecisionOutcome
{
    /// <summary>The link is good: show what will happen and ask to confirm.</summary>
    Confirm,
    /// <summary>The decision was recorded.</summary>
    Applied,
    /// <summary>Someone decided on this draft version already (maybe this very link).</summary>
    AlreadyDecided,
    /// <summary>A newer draft replaced this one, or the window moved on.</summary>
    Stale,
    Expired,
    /// <summary>Forged, damaged or signed with an unknown key.</summary>
    Invalid,
    /// <summary>The confirmation form is missing something (a reason for a rejection).</summary>
    Incomplete,
}

/// <summary>What a decision link page shows.</summary>
public sealed record DecisionPage(DecisionOutcome Outcome, string Message, DecisionGrant? Grant = null, MentoringProgram? Program = null,
    WindowState? Window = null, StoredDraft? Draft = null, DecisionClaim? Claim = null);

/// <summary>
/// Decisions from links in the draft email. Reviewing (GET) never changes anything: mail scanners open every link.
/// Deciding (POST) claims the draft version in the store, so of two admins deciding at once exactly one wins and the
/// other is told who decided and when; then the claim is delivered to the workflow as an event.
/// </summary>
public sealed class DecisionDesk(DecisionTokens tokens, ProgramCatalog programs, IWindowHost host, IDocumentStore store, TimeProvider clock)
{
    public const int MaxReasonLength = 2000;

    public async Task<DecisionPage> ReviewAsync(string token, CancellationToken cancellationToken = default)
    {
        var (page, _) = await CheckAsync(token, cancellationToken);
        return page;
    }

    public async Task<DecisionPage> DecideAsync(string token, string? reason, CancellationToken cancellationToken = default)
    {
        var (page, window) = await CheckAsync(token, cancellationToken);
        var grant = page.Grant;
        var tokenHash = LinkSigner.Digest(token);
        if (page.Outcome == DecisionOutcome.AlreadyDecided && page.Claim?.TokenHash == tokenHash && window is not null)
        {
            // The same link posted again (a retry after a timeout): deliver again; the workflow ignores repeats.
            await host.RaiseAsync(grant!.ProgramId, grant.WindowId, ToEvent(page.Claim, grant), cancellationToken);
            return page with { Outcome = DecisionOutcome.Applied, Message = Applied(grant.Action) };
        }
        if (page.Outcome != DecisionOutcome.Confirm || grant is null || window is null)
        {
            return page;
        }
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (grant.Action == DecisionAction.Reject && reason is null)
        {
            return page with { Outcome = DecisionOutcome.Incomplete, Message = "Please say why you reject this draft; the reason is kept with the decision." };
        }
        if (reason is { Length: > MaxReasonLength })
        {
            return page with { Outcome = DecisionOutcome.Incomplete, Message = $"Please keep the reason under {MaxReasonLength} characters." };
        }

        var claim = new DecisionClaim(grant.WindowId, grant.Version, grant.Action, grant.Approver, clock.GetUtcNow(), tokenHash, reason);
        try
        {
            await store.CreateAsync(WindowDocuments.Decision(grant.ProgramId, grant.WindowId, grant.Version), claim, cancellationToken);
        }
        catch (DocumentConflictException)
        {
            var (again, _) = await CheckAsync(token, cancellationToken);
            return again;
        }
        await host.RaiseAsync(grant.ProgramId, grant.WindowId, ToEvent(claim, grant), cancellationToken);
        return page with { Outcome = DecisionOutcome.Applied, Message = Applied(grant.Action), Claim = claim };
    }

    private async Task<(DecisionPage Page, WindowState? Window)> CheckAsync(string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (grant, problem) = tokens.Verify(token, now);
        if (grant is null || problem is TokenProblem.Malformed or TokenProblem.BadSignature or TokenProblem.UnknownKey)
        {
            return (new DecisionPage(DecisionOutcome.Invalid, "This link is not valid. Use the newest email about this draft, or ask another admin."), null);
        }
        MentoringProgram program;
        try
        {
            program = (await programs.GetAsync(grant.ProgramId, ct)).Value;
        }
        catch (NotFoundException)
        {
            return (new DecisionPage(DecisionOutcome.Invalid, "The program of this link no longer exists.", grant), null);
        }
        var window = await host.GetAsync(grant.ProgramId, grant.WindowId, ct);
        if (window is null)
        {
            return (new DecisionPage(DecisionOutcome.Invalid, "The matching window of this link does not exist.", grant, program), null);
        }
        var draft = (await store.ReadAsync<StoredDraft>(WindowDocuments.Draft(grant.ProgramId, grant.WindowId, grant.Version), ct))?.Value;
        var claim = (await store.ReadAsync<DecisionClaim>(WindowDocuments.Decision(grant.ProgramId, grant.WindowId, grant.Version), ct))?.Value;
        var page = new DecisionPage(DecisionOutcome.Confirm, "", grant, program, window, draft, claim);
        if (claim is not null)
        {
            return (page with
            {
                Outcome = DecisionOutcome.AlreadyDecided,
                Message = $"Draft v{claim.Version} was already decided: {MatchingWindowDecider.Describe(claim.Action)} by {claim.By} on {MailFormat.LocalTime(claim.At, program.TimeZone)}."
                    + Newest(window, claim.Version),
            }, window);
        }
        if (problem == TokenProblem.Expired)
        {
            return (page with { Outcome = DecisionOutcome.Expired, Message = $"This link expired on {MailFormat.LocalTime(grant.ExpiresAt, program.TimeZone)}." + Newest(window, grant.Version) }, window);
        }
        if (window.IsFinished || window.Phase != WindowPhase.AwaitingDecision || window.DraftVersion != grant.Version)
        {
            var why = window.IsFinished || window.Phase is WindowPhase.Publishing or WindowPhase.Introducing
                ? $"This matching window is {MatchingWindowDecider.Describe(window.Phase)}."
                : window.DraftVersion > grant.Version
                    ? $"Draft v{grant.Version} was replaced by v{window.DraftVersion}; use the newest email or the program dashboard."
                    : $"Draft v{grant.Version} is not waiting for a decision.";
            return (page with { Outcome = DecisionOutcome.Stale, Message = why }, window);
        }
        return (page with { Message = Describe(grant, program) }, window);
    }

    /// <summary>Where to go instead when a newer draft waits for a decision.</summary>
    private static string Newest(WindowState window, int version) =>
        !window.IsFinished && window.Phase == WindowPhase.AwaitingDecision && window.DraftVersion > version
            ? $" Draft v{window.DraftVersion} is the newest and waits for a decision: use its email or the program dashboard."
            : "";

    private static DecisionReceived ToEvent(DecisionClaim claim, DecisionGrant grant) =>
        new(claim.Version, claim.Action, claim.By, claim.At, claim.Reason, grant.Pair, grant.ParticipantId);

    private static string Describe(DecisionGrant grant, MentoringProgram program) => grant.Action switch
    {
        DecisionAction.Approve => $"Approve pair draft v{grant.Version} of {program.Name}: the pairs are published and every pair gets its intro email.",
        DecisionAction.Reject => $"Reject pair draft v{grant.Version} of {program.Name}: a new draft is computed and mailed to the admins.",
        DecisionAction.ForbidPair => $"Forbid one pair in draft v{grant.Version} of {program.Name}: a new draft without that pair is computed.",
        DecisionAction.PinPair => $"Keep one pair in every later draft of {program.Name}: a new draft is computed.",
        DecisionAction.ExcludeParticipant => $"Leave one person out of {program.Name}'s next draft: a new draft is computed.",
        DecisionAction.IncludeParticipant => $"Include one waitlisted person in {program.Name}'s next draft: a new draft is computed that pairs them first where the rules allow.",
        _ => $"Re-run the matching for {program.Name}: a new draft is computed (people who withdrew since are left out).",
    };

    private static string Applied(DecisionAction action) => action == DecisionAction.Approve
        ? "Approved. The pairs are published and the intro emails are on their way."
        : "Recorded. A new draft is being computed and will be mailed to the admins.";
}
