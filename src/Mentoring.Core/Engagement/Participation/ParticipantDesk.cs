using System.Globalization;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Links;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Engagement.Participation;

public enum ParticipantLinkOutcome
{
    /// <summary>The link is good: show what will happen and ask to confirm.</summary>
    Confirm,
    /// <summary>The change was recorded.</summary>
    Applied,
    /// <summary>Nothing to change: this was done before (maybe by this very link).</summary>
    AlreadyDone,
    /// <summary>The link is genuine but its moment has passed (the round closed, the match ended, the person left).</summary>
    Closed,
    Expired,
    /// <summary>Forged, damaged, signed with an unknown key, or about something that no longer exists.</summary>
    Invalid,
    /// <summary>The confirmation form is missing something (minutes, a pause date).</summary>
    Incomplete,
}

/// <summary>What the confirmation form sent. Every field is optional; <see cref="OneClick"/> marks an RFC 8058 unsubscribe POST.</summary>
public sealed record ParticipantForm(string? Minutes = null, string? Until = null, bool OneClick = false, string? Help = null)
{
    public static readonly ParticipantForm Empty = new();
}

/// <summary>What a participant link page shows.</summary>
public sealed record ParticipantPage(ParticipantLinkOutcome Outcome, string Message, ParticipantGrant? Grant = null)
{
    public string? ProgramName { get; init; }
    public string? ParticipantName { get; init; }
    /// <summary>Check-ins: the other members' names.</summary>
    public IReadOnlyList<string> Partners { get; init; } = [];
    /// <summary>Check-ins: the answer recorded so far, if any.</summary>
    public CheckInAnswer? CurrentAnswer { get; init; }
    /// <summary>"We met": the minutes to prefill.</summary>
    public int? Minutes { get; init; }
    /// <summary>Pause: the earliest, suggested and latest date to pause until (program-local dates).</summary>
    public DateOnly? PauseFrom { get; init; }
    public DateOnly? PauseSuggested { get; init; }
    public DateOnly? PauseTo { get; init; }
}

/// <summary>
/// Participants' one-click links (check-in answers, unsubscribe, pause, withdraw, rematch). Reviewing (GET) never changes
/// anything, because mail scanners open every link; applying (POST) does. A check-in answer may be changed until the next
/// round is due; unsubscribe, withdraw and rematch are idempotent; a rematch link is bound to the match it was mailed about.
/// </summary>
public sealed class ParticipantDesk(IDocumentStore store, ParticipantLinks links, MatchDesk matches, IWorkQueue queue, TimeProvider clock)
{
    public const int MaxPauseDays = 90;
    public const int DefaultPauseDays = 14;
    public const int MaxMinutes = 600;
    public const int MaxHelpLength = 1000;

    public async Task<ParticipantPage> ReviewAsync(string token, CancellationToken cancellationToken = default) =>
        (await CheckAsync(token, cancellationToken)).Page;

    public async Task<ParticipantPage> ApplyAsync(string token, ParticipantForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var (page, context) = await CheckAsync(token, cancellationToken);
        if (page.Outcome != ParticipantLinkOutcome.Confirm || context is null)
        {
            return page;
        }
        var grant = context.Grant;
        return grant.Action switch
        {
            ParticipantAction.CheckInMet or ParticipantAction.CheckInNotYet or ParticipantAction.CheckInNeedHelp =>
                await AnswerAsync(page, context, form, cancellationToken),
            ParticipantAction.Unsubscribe => await UnsubscribeAsync(page, context, cancellationToken),
            ParticipantAction.Pause => await PauseAsync(page, context, form, cancellationToken),
            ParticipantAction.Withdraw => await WithdrawAsync(page, context, cancellationToken),
            _ => await RematchAsync(page, context, cancellationToken),
        };
    }

    private sealed record LinkContext(ParticipantGrant Grant, MentoringProgram Program, Participant Participant, PublishedMatch? Match);

    private async Task<(ParticipantPage Page, LinkContext? Context)> CheckAsync(string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (grant, problem) = links.Verify(token, now);
        if (grant is null || problem is TokenProblem.Malformed or TokenProblem.BadSignature or TokenProblem.UnknownKey)
        {
            return (new(ParticipantLinkOutcome.Invalid, "This link is not valid. Use the link in your newest email from the program."), null);
        }
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(grant.ProgramId), ct))?.Value;
        var participant = program is null ? null : (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(grant.ProgramId, grant.ParticipantId), ct))?.Value;
        if (participant is not null && IsAboutThePerson(grant.Action))
        {
            participant = await WhereTheyLiveNowAsync(participant, ct);
        }
        if (program is null || participant is null || participant.ErasedAt is not null)
        {
            return (new(ParticipantLinkOutcome.Invalid, "This link is about a program or a registration that no longer exists.", grant), null);
        }
        var page = new ParticipantPage(ParticipantLinkOutcome.Confirm, "", grant) { ProgramName = program.Name, ParticipantName = participant.Name };
        // An unsubscribe link keeps working after it expires: mail clients keep the List-Unsubscribe URL of old mails.
        if (problem == TokenProblem.Expired && grant.Action != ParticipantAction.Unsubscribe)
        {
            return (page with
            {
                Outcome = ParticipantLinkOutcome.Expired,
                Message = grant.IsCheckIn
                    ? $"This check-in closed on {MailFormat.LocalTime(grant.ExpiresAt, program.TimeZone)}. Please answer the newest check-in email."
                    : "This link has expired. Please use the link in a newer email from the program.",
            }, null);
        }

        PublishedMatch? match = null;
        if (grant.MatchId is { } matchId)
        {
            match = (await store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(program.Id, matchId), ct))?.Value;
            if (match is null || match.Members.All(m => m.ParticipantId != participant.Id))
            {
                return (page with { Outcome = ParticipantLinkOutcome.Invalid, Message = "This link is about a match that does not exist." }, null);
            }
            page = page with { Partners = [.. match.Members.Where(m => m.ParticipantId != participant.Id).Select(m => m.Name)] };
        }
        var context = new LinkContext(grant, program, participant, match);
        var withdrawn = participant.Status == ParticipantStatus.Withdrawn;
        var partners = page.Partners.Count == 0 ? "your match" : MailFormat.Names(page.Partners);

        switch (grant.Action)
        {
            case ParticipantAction.CheckInMet or ParticipantAction.CheckInNotYet or ParticipantAction.CheckInNeedHelp:
            {
                if (withdrawn)
                {
                    return (page with { Outcome = ParticipantLinkOutcome.Closed, Message = $"You have left {program.Name}; check-ins are closed." }, null);
                }
                if (match!.Status != MatchStatus.Active || match.IntroducedAt is not { } introducedAt)
                {
                    return (page with { Outcome = ParticipantLinkOutcome.Closed, Message = $"Your match with {partners} has ended; there is nothing to check in." }, null);
                }
                var schedule = CheckInSchedule.For(program.Engagement, introducedAt);
                var round = grant.Round!.Value;
                if (!schedule.IsOpen(round, now))
                {
                    return (page with
                    {
                        Outcome = now < schedule.DueAt(round) ? ParticipantLinkOutcome.Invalid : ParticipantLinkOutcome.Closed,
                        Message = $"Check-in {round} closed on {MailFormat.LocalTime(schedule.ClosesAt(round), program.TimeZone)}. Please answer the newest check-in email.",
                    }, null);
                }
                var current = (await store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn(program.Id, match.Id, round, participant.Id), ct))?.Value;
                var answered = current is { Answer: not CheckInAnswer.None } ? current.Answer : (CheckInAnswer?)null;
                var already = answered is { } a
                    ? $" You answered \"{CheckInMail.Describe(a)}\" already; you can change it until {MailFormat.LocalTime(schedule.ClosesAt(round), program.TimeZone)}."
                    : "";
                var message = grant.Action switch
                {
                    ParticipantAction.CheckInMet => $"Check-in {round}: you and {partners} met. How long did you meet?",
                    ParticipantAction.CheckInNotYet => $"Check-in {round}: you and {partners} have not met yet.",
                    _ => $"Check-in {round}: you would like help from the program team with your match with {partners}. They will get in touch.",
                };
                return (page with
                {
                    Message = message + already,
                    CurrentAnswer = answered,
                    Minutes = grant.Action == ParticipantAction.CheckInMet ? grant.Minutes ?? current?.Minutes : null,
                }, context);
            }
            case ParticipantAction.Unsubscribe:
                return participant.UnsubscribedAt is { } at
                    ? (page with { Outcome = ParticipantLinkOutcome.AlreadyDone, Message = $"You are unsubscribed from {program.Name}'s emails since {MailFormat.LocalTime(at, program.TimeZone)}." }, null)
                    : (page with { Message = $"Unsubscribe from {program.Name}'s emails: no more check-ins, reminders or surveys. You stay registered; to leave the program, use the \"leave\" link instead." }, context);
            case ParticipantAction.Withdraw:
                return withdrawn
                    ? (page with { Outcome = ParticipantLinkOutcome.AlreadyDone, Message = $"You have left {program.Name} already." }, null)
                    : (page with { Message = $"Leave {program.Name}: you will not be matched again and get no more emails from it. An active pair you are in ends (groups continue without you)." }, context);
            case ParticipantAction.Pause:
            {
                if (withdrawn)
                {
                    return (page with { Outcome = ParticipantLinkOutcome.Closed, Message = $"You have left {program.Name}; there is nothing to pause." }, null);
                }
                var today = Today(program, now);
                var paused = participant.PausedUntil is { } until && until > now
                    ? $" Your emails are paused until {MailFormat.LocalTime(until, program.TimeZone)}; choosing a date replaces that."
                    : "";
                return (page with
                {
                    Message = $"Pause {program.Name}'s emails until a date you choose (at most {MaxPauseDays} days). Your match stays as it is." + paused,
                    PauseFrom = today.AddDays(1),
                    PauseSuggested = today.AddDays(DefaultPauseDays),
                    PauseTo = today.AddDays(MaxPauseDays),
                }, context);
            }
            default:
            {
                if (program.Kind != ProgramKind.Evergreen)
                {
                    return (page with { Outcome = ParticipantLinkOutcome.Closed, Message = $"{program.Name} has no further matching rounds, so rematches are not available." }, null);
                }
                if (withdrawn)
                {
                    return (page with { Outcome = ParticipantLinkOutcome.Closed, Message = $"You have left {program.Name}." }, null);
                }
                if (match is not null && match.Status == MatchStatus.Ended)
                {
                    return participant.RematchRequestedAt is not null || match.EndReason == MatchDesk.RematchReason
                        ? (page with { Outcome = ParticipantLinkOutcome.AlreadyDone, Message = "Your rematch request is recorded: you will be in the next matching round." }, null)
                        : (page with { Outcome = ParticipantLinkOutcome.Closed, Message = $"Your match with {partners} has ended already." }, null);
                }
                return (page with { Message = $"Ask for a new partner: your match with {partners} ends and you join {program.Name}'s next matching round." }, context);
            }
        }
    }

    private async Task<ParticipantPage> AnswerAsync(ParticipantPage page, LinkContext context, ParticipantForm form, CancellationToken ct)
    {
        var (grant, program, participant, match) = context;
        var round = grant.Round!.Value;
        var answer = grant.Action switch
        {
            ParticipantAction.CheckInMet => CheckInAnswer.Met,
            ParticipantAction.CheckInNotYet => CheckInAnswer.NotYet,
            _ => CheckInAnswer.NeedHelp,
        };
        int? minutes = null;
        if (answer == CheckInAnswer.Met)
        {
            if (!string.IsNullOrWhiteSpace(form.Minutes))
            {
                if (!int.TryParse(form.Minutes.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var typed) || typed is < 1 or > MaxMinutes)
                {
                    return page with { Outcome = ParticipantLinkOutcome.Incomplete, Message = $"Please enter the minutes you met as a whole number from 1 to {MaxMinutes}." };
                }
                minutes = typed;
            }
            minutes ??= grant.Minutes;
            if (minutes is null)
            {
                return page with { Outcome = ParticipantLinkOutcome.Incomplete, Message = "Please say how many minutes you met." };
            }
        }

        string? note = null;
        if (answer == CheckInAnswer.NeedHelp && !string.IsNullOrWhiteSpace(form.Help))
        {
            note = form.Help.Trim();
            if (note.Length > MaxHelpLength)
            {
                return page with { Outcome = ParticipantLinkOutcome.Incomplete, Message = $"Please keep what would help under {MaxHelpLength} characters." };
            }
        }

        var now = clock.GetUtcNow();
        var schedule = CheckInSchedule.For(program.Engagement, match!.IntroducedAt!.Value);
        var key = EngagementDocuments.CheckIn(program.Id, match.Id, round, participant.Id);
        CheckInRecord? saved = null;
        var changed = false;
        for (var attempt = 0; attempt < 32 && saved is null; attempt++)
        {
            var current = await store.ReadAsync<CheckInRecord>(key, ct);
            var record = current?.Value ?? new CheckInRecord
            {
                ProgramId = program.Id,
                MatchId = match.Id,
                ParticipantId = participant.Id,
                Round = round,
                DueAt = schedule.DueAt(round),
            };
            if (record.Answer == answer && record.Minutes == minutes && (note is null || record.Note == note))
            {
                saved = record;
                break;
            }
            var updated = record with { Answer = answer, Minutes = minutes, AnsweredAt = now, Note = answer == CheckInAnswer.NeedHelp ? note ?? record.Note : null };
            try
            {
                saved = current is null
                    ? (await store.CreateAsync(key, updated, ct)).Value
                    : (await store.ReplaceAsync(key, updated, current.ETag, ct)).Value;
                changed = true;
            }
            catch (Exception e) when (e is DocumentConflictException or DocumentPreconditionFailedException or DocumentNotFoundException)
            {
                // someone (a second click, the nudge's record) wrote in between: read again
            }
        }
        if (saved is null)
        {
            return page with { Outcome = ParticipantLinkOutcome.Incomplete, Message = "Your answer collided with another change; please press the button again." };
        }

        if (answer == CheckInAnswer.Met)
        {
            await MatchDesk.UpdateMatchAsync(store, program.Id, match.Id, m => m.AtRiskSince is null ? null : m with { AtRiskSince = null }, ct);
        }
        else if (answer == CheckInAnswer.NeedHelp && changed)
        {
            await queue.EnqueueAsync(CheckInHandler.NeedHelpItem(program.Id, saved), ct);
        }
        var closes = MailFormat.LocalTime(schedule.ClosesAt(round), program.TimeZone);
        var thanks = answer switch
        {
            CheckInAnswer.Met => $"Thank you: {minutes} minutes recorded for check-in {round}.",
            CheckInAnswer.NotYet => $"Thank you: \"not yet\" recorded for check-in {round}. A short message to your partner is often all it takes.",
            _ => $"Thank you: the program team has been told and will get in touch.",
        };
        return page with
        {
            Outcome = changed ? ParticipantLinkOutcome.Applied : ParticipantLinkOutcome.AlreadyDone,
            Message = (changed ? thanks : $"This answer was recorded already.") + $" You can change it until {closes}.",
            CurrentAnswer = answer,
            Minutes = minutes,
        };
    }

    private async Task<ParticipantPage> UnsubscribeAsync(ParticipantPage page, LinkContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var applied = false;
        await matches.UpdateParticipantAsync(context.Program.Id, context.Participant.Id, p =>
        {
            applied = p.UnsubscribedAt is null;
            return applied ? p with { UnsubscribedAt = now, UpdatedAt = now } : null;
        }, ct);
        return page with
        {
            Outcome = applied ? ParticipantLinkOutcome.Applied : ParticipantLinkOutcome.AlreadyDone,
            Message = $"You are unsubscribed from {context.Program.Name}'s emails. You stay registered; tell the program team if you want to come back.",
        };
    }

    private async Task<ParticipantPage> PauseAsync(ParticipantPage page, LinkContext context, ParticipantForm form, CancellationToken ct)
    {
        var program = context.Program;
        if (!DateOnly.TryParseExact(form.Until?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until)
            || until < page.PauseFrom || until > page.PauseTo)
        {
            return page with
            {
                Outcome = ParticipantLinkOutcome.Incomplete,
                Message = $"Please choose a date from {page.PauseFrom:yyyy-MM-dd} to {page.PauseTo:yyyy-MM-dd} (at most {MaxPauseDays} days).",
            };
        }
        var zone = MailFormat.Zone(program.TimeZone);
        var local = until.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        var pausedUntil = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        var now = clock.GetUtcNow();
        await matches.UpdateParticipantAsync(program.Id, context.Participant.Id,
            p => p.PausedUntil == pausedUntil ? null : p with { PausedUntil = pausedUntil, UpdatedAt = now }, ct);
        return page with
        {
            Outcome = ParticipantLinkOutcome.Applied,
            Message = $"Paused: no emails from {program.Name} until {MailFormat.LocalTime(pausedUntil, program.TimeZone)}. Then check-ins resume with the current round.",
        };
    }

    private async Task<ParticipantPage> WithdrawAsync(ParticipantPage page, LinkContext context, CancellationToken ct)
    {
        var program = context.Program;
        var now = clock.GetUtcNow();
        var applied = false;
        await matches.UpdateParticipantAsync(program.Id, context.Participant.Id, p =>
        {
            applied = p.Status != ParticipantStatus.Withdrawn;
            return applied ? p.Withdraw(Withdrawal.Self, now) : null;
        }, ct);
        // After a move the person's earlier pairs still name the id the link was made for.
        foreach (var id in new[] { context.Participant.Id, context.Grant.ParticipantId }.Distinct())
        {
            foreach (var match in await matches.ActiveMatchesOfAsync(program.Id, id, ct))
            {
                if (match.Members.Count <= 2)
                {
                    await matches.EndMatchAsync(program.Id, match.Id, MatchDesk.WithdrawnReason, ct);
                }
            }
        }
        return page with
        {
            Outcome = applied ? ParticipantLinkOutcome.Applied : ParticipantLinkOutcome.AlreadyDone,
            Message = $"You have left {program.Name}. Thank you for taking part.",
        };
    }

    private async Task<ParticipantPage> RematchAsync(ParticipantPage page, LinkContext context, CancellationToken ct)
    {
        await matches.RequestRematchAsync(context.Program.Id, context.Participant.Id, context.Match?.Id, ct);
        return page with
        {
            Outcome = ParticipantLinkOutcome.Applied,
            Message = $"Recorded: you will get a new partner in {context.Program.Name}'s next matching round.",
        };
    }

    /// <summary>Leaving, pausing and unsubscribing are about the person, not one pair: they follow the person's moves.</summary>
    private static bool IsAboutThePerson(ParticipantAction action) =>
        action is ParticipantAction.Withdraw or ParticipantAction.Pause or ParticipantAction.Unsubscribe;

    /// <summary>
    /// An edit of the person's form to another address moved their registration (the old record points to the new one):
    /// a link from a mail sent before the move acts on where they are registered now. Bounded, as moves can go back and forth.
    /// </summary>
    private async Task<Participant> WhereTheyLiveNowAsync(Participant participant, CancellationToken ct)
    {
        for (var hop = 0; hop < 8 && participant.WithdrawnBy == Withdrawal.Moved && participant.MovedTo is not null; hop++)
        {
            var next = (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(participant.ProgramId, participant.MovedTo), ct))?.Value;
            if (next is null)
            {
                break;
            }
            participant = next;
        }
        return participant;
    }

    private static DateOnly Today(MentoringProgram program, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, MailFormat.Zone(program.TimeZone)).DateTime);
}
