using Mentoring.Core.Matching.Groups;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching;

/// <summary>Computes pair drafts. Pure: the same request always gives the same draft; no clock, no I/O.</summary>
public static class MatchingEngine
{
    /// <summary>Pairs (1:1 programs) or groups (group programs) for admins to review, with reasons and an optimality statement.</summary>
    public static PairDraft Draft(MatchingRequest request)
    {
        var ctx = DraftContext.Create(request);
        if (ctx.Program.Pairing is PairingShape.MentorMentee or PairingShape.Reverse)
        {
            return Roles.MentorMenteeDrafter.Draft(ctx);
        }
        return ctx.Program.Kind == ProgramKind.Groups ? GroupDrafter.Draft(ctx) : PairDrafter.Draft(ctx);
    }
}
