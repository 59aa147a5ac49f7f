using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Matching;

/// <summary>Admin edits to try in a dry run: the same edits a rejection can carry.</summary>
public sealed record DraftEdits
{
    public IReadOnlyList<ParticipantPair> ForbiddenPairs { get; init; } = [];
    public IReadOnlyList<ParticipantPair> PinnedPairs { get; init; } = [];
    public IReadOnlyList<string> ExcludedParticipantIds { get; init; } = [];
}

/// <summary>
/// A dry run: the draft a matching window opened now would propose, for the current registrations and against the
/// same history (pairs never repeated, who waited, capacity already used by active pairs). Saves nothing.
/// </summary>
public sealed class MatchPreview(ProgramCatalog programs, ParticipantRegistry registry, IDocumentStore store, TimeProvider clock)
{
    public async Task<PairDraft> PreviewAsync(string programId, DraftEdits edits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        var (matches, rounds) = await RoundInputs.ReadAsync(store, programId, cancellationToken);
        var participants = RoundInputs.Eligible(program, await registry.ActiveAsync(programId, cancellationToken), matches);
        return MatchingEngine.Draft(new MatchingRequest
        {
            Program = program,
            Participants = participants,
            At = clock.GetUtcNow(),
            History = RoundInputs.History(matches, rounds, windowId: null),
            ForbiddenPairs = edits.ForbiddenPairs,
            PinnedPairs = edits.PinnedPairs,
            ExcludedParticipantIds = edits.ExcludedParticipantIds,
        });
    }
}
