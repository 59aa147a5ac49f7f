using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;

namespace Mentoring.Core.Matching;

/// <summary>Admin edits to try in a dry run: the same edits a rejection can carry.</summary>
public sealed record DraftEdits
{
    public IReadOnlyList<ParticipantPair> ForbiddenPairs { get; init; } = [];
    public IReadOnlyList<ParticipantPair> PinnedPairs { get; init; } = [];
    public IReadOnlyList<string> ExcludedParticipantIds { get; init; } = [];
}

/// <summary>A dry run: the draft the engine would propose now, for the current registrations. Saves nothing.</summary>
public sealed class MatchPreview(ProgramCatalog programs, ParticipantRegistry registry, TimeProvider clock)
{
    public async Task<PairDraft> PreviewAsync(string programId, DraftEdits edits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edits);
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        var participants = await registry.ActiveAsync(programId, cancellationToken);
        return MatchingEngine.Draft(new MatchingRequest
        {
            Program = program,
            Participants = participants,
            At = clock.GetUtcNow(),
            ForbiddenPairs = edits.ForbiddenPairs,
            PinnedPairs = edits.PinnedPairs,
            ExcludedParticipantIds = edits.ExcludedParticipantIds,
        });
    }
}
