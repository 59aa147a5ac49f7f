using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;

namespace Mentoring.Core.Windows;

/// <summary>The activities of user-led windows: invitations with each person's suggestions, requests, pairs, closed requests.</summary>
public sealed partial class WindowActivities
{
    private ChoosingLinks ChoosingLinks => choosingLinks ?? throw new InvalidOperationException("User-led windows need ChoosingLinks registered.");

    /// <summary>Takes the snapshot, stores everyone's suggestions (the page reads them) and mails each person their link.</summary>
    private async Task<ChoosingOpened> InviteAsync(WindowState state, InviteToChoose command, CancellationToken ct)
    {
        var program = await Program(state, ct);
        var participants = await SnapshotAsync(state, program, ct);
        var history = await HistoryAsync(state, ct);
        var request = new MatchingRequest
        {
            Program = program,
            Participants = participants,
            At = state.ClosedAt ?? state.OpenedAt,
            History = history,
            ForbiddenPairs = state.Edits.ForbiddenPairs,
        };
        var suggestions = PartnerSuggestions.ForEveryone(request, program.Choosing.Suggestions + ChoiceSheet.Spare);
        var byId = participants.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var capacities = new Dictionary<string, int>(StringComparer.Ordinal);
        var roles = RolesProgram(program) ? new Dictionary<string, ChooserRole>(StringComparer.Ordinal) : null;
        foreach (var person in participants)
        {
            // Evergreen: the pairs a mentor already holds use part of their capacity.
            capacities[person.Id] = Math.Max(0, Matching.Roles.MentorMenteeDrafter.CapacityOf(program, person) - history.ActivePairings.GetValueOrDefault(person.Id));
            var role = RoleOf(person);
            roles?.Add(person.Id, role);
            var sheet = new ChoiceSheet(program.Id, state.WindowId, person.Id, person.Name, command.EndsAt,
                [.. suggestions.GetValueOrDefault(person.Id, []).Select(s => ChoiceSheet.Describe(program, byId[s.ParticipantId], s))]);
            await store.UpsertAsync(ChoiceSheet.KeyOf(program.Id, state.WindowId, person.Id), sheet, ct);
            var link = ChoosingLinks.Choose(program.Id, state.WindowId, person.Id, command.EndsAt);
            await mailer.SendAsync(ChoosingMail.Invite(program, state.WindowId, new MailAddress(person.Email, person.Name), link, command.EndsAt,
                $"choose-invite:{program.Id}:{state.WindowId}:{person.Id}", roles is null ? null : role), ct);
        }
        return new ChoosingOpened(capacities, clock.GetUtcNow()) { Roles = roles };
    }

    private static bool RolesProgram(MentoringProgram program) => program.Pairing is PairingShape.MentorMentee or PairingShape.Reverse;

    private static ChooserRole RoleOf(Participant person) => person.SingleAnswer(Questionnaires.BuiltInQuestions.Role) switch
    {
        Questionnaires.BuiltInQuestions.RoleOptions.Mentor => ChooserRole.Mentor,
        Questionnaires.BuiltInQuestions.RoleOptions.Either => ChooserRole.Either,
        _ => ChooserRole.Mentee,
    };

    private async Task<WindowEvent?> MailRequestAsync(WindowState state, MailPairRequest command, CancellationToken ct)
    {
        var program = await Program(state, ct);
        var from = await PersonAsync(state, command.From, ct);
        var to = await PersonAsync(state, command.To, ct);
        if (from is null || to is null)
        {
            return null; // erased meanwhile: nobody to ask, or nobody to ask for
        }
        var endsAt = state.Choosing?.EndsAt ?? clock.GetUtcNow();
        // The reasons as the person asked would see them on their own page: the same rules about what may be shown.
        var fit = PartnerSuggestions.Between(new MatchingRequest { Program = program, Participants = [from, to], At = state.ClosedAt ?? state.OpenedAt }, to.Id, from.Id);
        var reasons = fit is null ? [] : ChoiceSheet.Describe(program, from, fit).Reasons;
        var link = ChoosingLinks.Answer(program.Id, state.WindowId, from.Id, to.Id, endsAt);
        var mentor = state.Choosing?.Requests.FirstOrDefault(r => r.From == from.Id && r.To == to.Id)?.Mentor;
        await mailer.SendAsync(ChoosingMail.Request(program, state.WindowId, new MailAddress(to.Email, to.Name), from.Name, reasons, link, endsAt,
            $"request:{program.Id}:{state.WindowId}:{command.Key}", RequesterRole(mentor, from.Id)), ct);
        return null;
    }

    private async Task<WindowEvent?> MailFormedAsync(WindowState state, MailPairFormed command, CancellationToken ct)
    {
        var program = await Program(state, ct);
        var a = await PersonAsync(state, command.A, ct);
        var b = await PersonAsync(state, command.B, ct);
        var autoApprove = state.Choosing?.Plan.AutoApprove ?? false;
        var mentor = state.Choosing?.Pairs.FirstOrDefault(p => p.Has(command.A) && p.Has(command.B))?.Mentor;
        foreach (var (to, partner) in new[] { (a, b), (b, a) })
        {
            if (to is not null && partner is not null)
            {
                await mailer.SendAsync(ChoosingMail.Formed(program, state.WindowId, new MailAddress(to.Email, to.Name), partner.Name, autoApprove,
                    $"{command.Key}:{program.Id}:{state.WindowId}:{to.Id}", RequesterRole(mentor, partner.Id)), ct);
            }
        }
        return null;
    }

    private async Task<WindowEvent?> MailLapsedAsync(WindowState state, MailRequestLapsed command, CancellationToken ct)
    {
        var program = await Program(state, ct);
        var from = await PersonAsync(state, command.From, ct);
        var to = await PersonAsync(state, command.To, ct);
        if (from is null || to is null)
        {
            return null;
        }
        var fallback = !(state.Choosing?.NoFallback.Contains(from.Id) ?? false);
        // The side the request asked the other person to take: they now play the opposite one.
        var askedAs = command.OtherSide ? RequesterRole(state.Choosing?.Requests.FirstOrDefault(r => r.From == from.Id && r.To == to.Id)?.Mentor, to.Id) : null;
        await mailer.SendAsync(ChoosingMail.Lapsed(program, state.WindowId, new MailAddress(from.Email, from.Name), to.Name,
            state.Choosing?.EndsAt ?? clock.GetUtcNow(), fallback, $"lapsed:{program.Id}:{state.WindowId}:{command.Key}", askedAs), ct);
        return null;
    }

    /// <summary>Roles programs: "mentor" when <paramref name="person"/> is the mentor of the pair, else "mentee"; null for peers.</summary>
    private static string? RequesterRole(string? mentor, string person) => mentor is null
        ? null
        : mentor == person ? Questionnaires.BuiltInQuestions.RoleOptions.Mentor : Questionnaires.BuiltInQuestions.RoleOptions.Mentee;

    private async Task<Participant?> PersonAsync(WindowState state, string participantId, CancellationToken ct) =>
        await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(state.ProgramId, participantId), ct) is { Value.Status: ParticipantStatus.Registered } p
            ? p.Value
            : null;
}
