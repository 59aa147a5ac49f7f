using Mentoring.Core.Matching.Scoring;

namespace Mentoring.Core.Matching;

/// <summary>One suggested partner: who, how well they fit, and why (the engine's own score and reasons).</summary>
public sealed record PartnerSuggestion(string ParticipantId, int Score, IReadOnlyList<CriterionPoints> Criteria, string Sentence)
{
    /// <summary>Roles programs: the partner's side towards the person suggested to ("mentor": would mentor them; "mentee"). Null for peers.</summary>
    public string? PartnerRole { get; init; }
}

/// <summary>
/// User-led pairing: each person's best partners by the engine's score, under the same hard rules as a draft
/// (manager line, earlier pairs, do-not-match, forbidden pairs). Pure.
/// <para>
/// Mentor/mentee and reverse programs: a mentee is suggested mentors and a mentor mentees, scored one way (mentor over
/// mentee) with the seniority gap, and only mentors with capacity left. Someone who said "either" is suggested both
/// kinds, but never another "either" person: neither could tell which side the other asked for.
/// </para>
/// </summary>
public static class PartnerSuggestions
{
    /// <summary>Everyone's top <paramref name="count"/> allowed partners, best first (ties by id, so the list is stable).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<PartnerSuggestion>> ForEveryone(MatchingRequest request, int count)
    {
        var context = DraftContext.Create(request);
        var roles = RolesOf(context);
        var result = new Dictionary<string, IReadOnlyList<PartnerSuggestion>>(StringComparer.Ordinal);
        for (var i = 0; i < context.Count; i++)
        {
            var best = new List<(int Score, string Id, int J)>();
            for (var j = 0; j < context.Count; j++)
            {
                if (roles is not null)
                {
                    if (roles.MentorOf(i, j) is { } mentor)
                    {
                        best.Add((context.Scorer.Score(mentor, mentor == i ? j : i), context.People[j].Id, j));
                    }
                }
                else if (j != i && context.Rules.Allows(i, j))
                {
                    best.Add((context.Scorer.Score(i, j), context.People[j].Id, j));
                }
            }
            result[context.People[i].Id] =
            [
                .. best.OrderByDescending(b => b.Score).ThenBy(b => b.Id, StringComparer.Ordinal).Take(count)
                    .Select(b => Explain(context, roles, i, b.J)),
            ];
        }
        return result;
    }

    /// <summary>Why two people fit, or null when either is not in the request or a hard rule keeps them apart.</summary>
    public static PartnerSuggestion? Between(MatchingRequest request, string a, string b)
    {
        var context = DraftContext.Create(request);
        var roles = RolesOf(context);
        var i = IndexOf(context, a);
        var j = IndexOf(context, b);
        if (i < 0 || j < 0 || i == j)
        {
            return null;
        }
        return roles is null
            ? context.Rules.Allows(i, j) ? Explain(context, null, i, j) : null
            : roles.MentorOf(i, j) is null ? null : Explain(context, roles, i, j);
    }

    private static RoleSides? RolesOf(DraftContext context)
    {
        if (context.Program.Pairing is not (Programs.PairingShape.MentorMentee or Programs.PairingShape.Reverse))
        {
            return null;
        }
        var (side, capacity) = Roles.MentorMenteeDrafter.Sides(context);
        return new RoleSides(context, side, capacity, Roles.MentorMenteeDrafter.Levels(context));
    }

    /// <summary>Who of two people would mentor the other, if they may be paired at all (roles programs).</summary>
    private sealed record RoleSides(DraftContext Context, Roles.MentorMenteeDrafter.Side[] Side, int[] Capacity, int?[] Level)
    {
        public int? MentorOf(int i, int j)
        {
            if (i == j || (Side[i] == Roles.MentorMenteeDrafter.Side.Both && Side[j] == Roles.MentorMenteeDrafter.Side.Both))
            {
                return null;
            }
            var reverse = Context.Program.Pairing == Programs.PairingShape.Reverse;
            if (Mentors(j) && Mentored(i) && Capacity[j] > 0 && Roles.MentorMenteeDrafter.Allowed(Context, j, i, Level, reverse))
            {
                return j;
            }
            if (Mentors(i) && Mentored(j) && Capacity[i] > 0 && Roles.MentorMenteeDrafter.Allowed(Context, i, j, Level, reverse))
            {
                return i;
            }
            return null;
        }

        private bool Mentors(int i) => Side[i] is Roles.MentorMenteeDrafter.Side.Mentor or Roles.MentorMenteeDrafter.Side.Both;

        private bool Mentored(int i) => Side[i] is Roles.MentorMenteeDrafter.Side.Mentee or Roles.MentorMenteeDrafter.Side.Both;
    }

    private static int IndexOf(DraftContext context, string id)
    {
        for (var i = 0; i < context.Count; i++)
        {
            if (context.People[i].Id == id)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Why <paramref name="j"/> fits <paramref name="i"/>; roles programs score mentor over mentee and say which <paramref name="j"/> is.</summary>
    private static PartnerSuggestion Explain(DraftContext context, RoleSides? roles, int i, int j)
    {
        if (roles?.MentorOf(i, j) is { } mentor)
        {
            var rolePair = context.Pair(mentor, mentor == i ? j : i);
            return new PartnerSuggestion(context.People[j].Id, rolePair.Score, rolePair.Criteria, rolePair.Sentence)
            {
                PartnerRole = mentor == j ? Questionnaires.BuiltInQuestions.RoleOptions.Mentor : Questionnaires.BuiltInQuestions.RoleOptions.Mentee,
            };
        }
        var pair = context.Pair(i, j);
        return new PartnerSuggestion(context.People[j].Id, pair.Score, pair.Criteria, pair.Sentence);
    }
}
