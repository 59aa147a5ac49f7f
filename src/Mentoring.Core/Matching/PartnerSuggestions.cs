using Mentoring.Core.Matching.Scoring;

namespace Mentoring.Core.Matching;

/// <summary>One suggested partner: who, how well they fit, and why (the engine's own score and reasons).</summary>
public sealed record PartnerSuggestion(string ParticipantId, int Score, IReadOnlyList<CriterionPoints> Criteria, string Sentence);

/// <summary>
/// User-led pairing: each person's best partners by the engine's score, under the same hard rules as a draft
/// (manager line, earlier pairs, do-not-match, forbidden pairs). Pure.
/// </summary>
public static class PartnerSuggestions
{
    /// <summary>Everyone's top <paramref name="count"/> allowed partners, best first (ties by id, so the list is stable).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<PartnerSuggestion>> ForEveryone(MatchingRequest request, int count)
    {
        var context = DraftContext.Create(request);
        var result = new Dictionary<string, IReadOnlyList<PartnerSuggestion>>(StringComparer.Ordinal);
        for (var i = 0; i < context.Count; i++)
        {
            var best = new List<(int Score, string Id, int J)>();
            for (var j = 0; j < context.Count; j++)
            {
                if (j != i && context.Rules.Allows(i, j))
                {
                    best.Add((context.Scorer.Score(i, j), context.People[j].Id, j));
                }
            }
            result[context.People[i].Id] =
            [
                .. best.OrderByDescending(b => b.Score).ThenBy(b => b.Id, StringComparer.Ordinal).Take(count)
                    .Select(b => Explain(context, i, b.J)),
            ];
        }
        return result;
    }

    /// <summary>Why two people fit, or null when either is not in the request or a hard rule keeps them apart.</summary>
    public static PartnerSuggestion? Between(MatchingRequest request, string a, string b)
    {
        var context = DraftContext.Create(request);
        var i = IndexOf(context, a);
        var j = IndexOf(context, b);
        return i < 0 || j < 0 || i == j || !context.Rules.Allows(i, j) ? null : Explain(context, i, j);
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

    private static PartnerSuggestion Explain(DraftContext context, int i, int j)
    {
        var pair = context.Pair(i, j);
        return new PartnerSuggestion(context.People[j].Id, pair.Score, pair.Criteria, pair.Sentence);
    }
}
