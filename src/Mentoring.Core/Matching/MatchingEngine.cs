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
        switch (ctx.Program.Pairing)
        {
            case PairingShape.MentorMentee or PairingShape.Reverse:
                return Roles.MentorMenteeDrafter.Draft(ctx);
            case PairingShape.GroupsLed:
                return Roles.LedGroupDrafter.Draft(ctx);
            case PairingShape.Buddies:
                return Roles.BuddyDrafter.Draft(ctx);
            default:
                break;
        }
        return ctx.Program.Kind == ProgramKind.Groups ? GroupDrafter.Draft(ctx) : PairDrafter.Draft(ctx);
    }
}
