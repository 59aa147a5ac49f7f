using FsCheck;
using FsCheck.Fluent;
using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Matching;

public class DraftPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static void ForAllSeeds(Action<int> check) =>
        Check.One(Runs, Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), (int seed) => check(seed)));

    [Fact]
    public void Hard_rules_are_never_broken_and_nobody_is_dropped()
    {
        ForAllSeeds(seed =>
        {
            var request = RandomPrograms.Request(seed, maxPeople: 16);
            var draft = MatchingEngine.Draft(request);
            foreach (var (a, b) in draft.Together())
            {
                Assert.True(RandomPrograms.Allowed(request, a, b), $"seed {seed}: {a} and {b} break a hard rule");
            }
            var placed = draft.Ids().Concat(draft.Waitlist.Select(w => w.Person.Id)).Order().ToList();
            var active = RandomPrograms.Active(request).Select(p => p.Id).Order().ToList();
            Assert.Equal(active, placed);
            Assert.All(draft.Waitlist, w => Assert.False(string.IsNullOrWhiteSpace(w.Explanation)));
            Assert.Equal(request.Participants.Count - active.Count, draft.SetAside.Count);
        });
    }

    [Fact]
    public void One_to_one_drafts_equal_the_exhaustive_optimum_and_are_certified()
    {
        ForAllSeeds(seed =>
        {
            var request = RandomPrograms.Request(seed, maxPeople: 12, ProgramKind.Cohort, OddCountPolicy.Waitlist, pins: false);
            var draft = MatchingEngine.Draft(request);
            var best = BruteForce(request);
            var waited = request.History.WaitlistedLastRound.ToHashSet();
            var got = (Pairs: draft.Pairs.Count, Waited: draft.Ids().Count(waited.Contains), Score: draft.Stats.TotalScore);
            Assert.True(best == got, $"seed {seed}: draft {got}, optimum {best}");
            Assert.True(draft.Certificate!.IsOptimal, $"seed {seed}: {draft.Certificate.VerifierReason}");
        });
    }

    [Fact]
    public void Group_drafts_keep_sizes_and_rules()
    {
        ForAllSeeds(seed =>
        {
            var request = RandomPrograms.Request(seed, maxPeople: 30, ProgramKind.Groups);
            var draft = MatchingEngine.Draft(request);
            var size = request.Program.GroupSize!.Value;
            Assert.All(draft.Groups, g => Assert.InRange(g.Members.Count, 2, size + 1));
            Assert.Empty(draft.Pairs);
            Assert.True(draft.GroupSearch!.EndScore >= draft.GroupSearch.StartScore);
            Assert.Equal(draft.Stats.TotalScore, draft.GroupSearch.EndScore);
        });
    }

    /// <summary>The lexicographic optimum by exhaustive search over all matchings of the active people.</summary>
    private static (int Pairs, int Waited, long Score) BruteForce(MatchingRequest request)
    {
        var people = RandomPrograms.Active(request);
        var n = people.Count;
        var scorer = PairScorer.Compile(request.Program.Questionnaire, people, request.At);
        var waited = people.Select(p => request.History.WaitlistedLastRound.Contains(p.Id) ? 1 : 0).ToArray();
        var highest = request.Program.Matching.Objective == MatchingObjective.HighestScore;
        var memo = new Dictionary<int, (int Pairs, int Waited, long Score)>();
        bool Better((int Pairs, int Waited, long Score) x, (int Pairs, int Waited, long Score) y) =>
            highest ? (x.Waited, x.Score, x.Pairs).CompareTo((y.Waited, y.Score, y.Pairs)) > 0 : x.CompareTo(y) > 0;
        (int, int, long) Best(int mask)
        {
            if (mask == 0)
            {
                return (0, 0, 0);
            }
            if (memo.TryGetValue(mask, out var known))
            {
                return known;
            }
            var i = System.Numerics.BitOperations.TrailingZeroCount(mask);
            var rest = mask & ~(1 << i);
            var best = Best(rest); // i stays unpaired
            for (var j = i + 1; j < n; j++)
            {
                if ((rest & (1 << j)) != 0 && RandomPrograms.Allowed(request, people[i].Id, people[j].Id))
                {
                    var (p, w, s) = Best(rest & ~(1 << j));
                    var candidate = (p + 1, w + waited[i] + waited[j], s + scorer.Score(i, j));
                    if (Better(candidate, best))
                    {
                        best = candidate;
                    }
                }
            }
            return memo[mask] = best;
        }
        return Best((1 << n) - 1);
    }
}
