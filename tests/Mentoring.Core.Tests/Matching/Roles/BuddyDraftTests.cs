using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching.Roles;

public class BuddyDraftTests
{
    private static readonly BuddyKind Culture = new() { Key = "culture", Eligibility = "cultureBuddy", Capacity = 2 };
    private static readonly BuddyKind RoleKind = new() { Key = "role", Eligibility = "roleBuddy", Capacity = 1 };

    private static MentoringProgram Buddies(params BuddyKind[] kinds) => Program([Department, Goals]) with
    {
        Pairing = PairingShape.Buddies,
        Buddies = new BuddyPolicy { Kinds = kinds.Length == 0 ? [Culture, RoleKind] : kinds },
    };

    private static Participant Newcomer(string name, params (string Key, string[] Values)[] more) =>
        Person(name, [A(BuiltInQuestions.Role, "newcomer"), .. more]);

    private static Participant Buddy(string name, bool culture, bool role, params (string Key, string[] Values)[] more) =>
        Person(name, [A(BuiltInQuestions.Role, "buddy"), A("cultureBuddy", culture ? "yes" : "no"), A("roleBuddy", role ? "yes" : "no"), .. more]);

    [Fact]
    public void Every_newcomer_gets_one_buddy_of_each_kind_named_in_the_sentence()
    {
        var people = new[]
        {
            Newcomer("Bo", A("department", "Sales")), Newcomer("Cy", A("department", "Legal")),
            Buddy("Ana", culture: true, role: false, A("department", "Engineering")),
            Buddy("Ben", culture: false, role: true, A("department", "Finance")), Buddy("Eve", culture: false, role: true, A("department", "Sales")),
        };
        var draft = MatchingEngine.Draft(Request(Buddies(), people));

        Assert.Equal(4, draft.Pairs.Count);
        Assert.Equal(["Ana", "Ana"], draft.Pairs.Where(p => p.BuddyKind == "culture").Select(p => p.A.Id));
        Assert.Equal(["Ben", "Eve"], draft.Pairs.Where(p => p.BuddyKind == "role").Select(p => p.A.Id).Order());
        Assert.All(draft.Pairs, p => Assert.StartsWith($"{p.A.Name} is {p.B.Name}'s {p.BuddyKind} buddy: ", p.Sentence, StringComparison.Ordinal));
        Assert.Empty(draft.Waitlist);
        Assert.True(draft.Certificate!.IsOptimal, draft.Certificate.VerifierReason);
        Assert.Contains("kinds together are optimal", draft.Certificate.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Nobody_is_the_same_newcomers_buddy_twice_and_the_draft_says_how_far_from_the_bound()
    {
        // Ana is the best culture and the best role buddy for Bo; Bo gets her once and someone else for the other kind.
        var people = new[]
        {
            Newcomer("Bo", A("department", "Sales"), A("goals", "writing")),
            Buddy("Ana", culture: true, role: true, A("department", "Engineering"), A("goals", "writing")),
            Buddy("Ben", culture: true, role: false, A("department", "Sales")),
            Buddy("Eve", culture: false, role: true, A("department", "Sales")),
        };
        var draft = MatchingEngine.Draft(Request(Buddies(), people));

        Assert.Equal(2, draft.Pairs.Count);
        Assert.Single(draft.Pairs, p => p.A.Id == "Ana");
        Assert.Equal(["culture", "role"], draft.Pairs.Select(p => p.BuddyKind).Order());
        Assert.Contains("one newcomer-buddy pair came up in two kinds", draft.Certificate!.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newcomer_waits_per_kind_with_the_reason()
    {
        var people = new[]
        {
            Newcomer("Bo"), Newcomer("Cy"), Newcomer("Di"),
            Buddy("Ana", culture: true, role: false), Buddy("Ben", culture: false, role: true),
        };
        var draft = MatchingEngine.Draft(Request(Buddies(), people));

        Assert.Equal(2, draft.Pairs.Count(p => p.BuddyKind == "culture"));
        Assert.Single(draft.Pairs, p => p.BuddyKind == "role");
        var culture = Assert.Single(draft.Waitlist, w => w.BuddyKind == "culture");
        Assert.Contains("no culture buddy with capacity left for", culture.Explanation, StringComparison.Ordinal);
        Assert.Contains("Ana is full", culture.Explanation, StringComparison.Ordinal);
        Assert.Equal(2, draft.Waitlist.Count(w => w.BuddyKind == "role"));
    }

    [Fact]
    public void A_manager_is_never_their_reports_buddy_and_an_unneeded_buddy_is_told_why()
    {
        var people = new[]
        {
            Newcomer("Bo", Manager("Ana")),
            Buddy("Ana", culture: true, role: true), Buddy("Ben", culture: true, role: true), Buddy("Eve", culture: true, role: false),
        };
        var draft = MatchingEngine.Draft(Request(Buddies(), people));

        Assert.DoesNotContain(draft.Pairs, p => p.A.Id == "Ana");
        Assert.Equal(["culture", "role"], draft.Pairs.Select(p => p.BuddyKind).Order());
        var ana = Assert.Single(draft.Waitlist, w => w.Person.Id == "Ana");
        Assert.Null(ana.BuddyKind);
        Assert.Contains("no newcomer needs Ana as culture buddy and role buddy this round", ana.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_intro_mail_of_a_buddy_pair_names_the_kind()
    {
        var people = new[] { Newcomer("Bo"), Buddy("Ana", culture: true, role: false) };
        var program = Buddies(Culture);
        var pair = Assert.Single(MatchingEngine.Draft(Request(program, people)).Pairs);
        var mails = IntroMail.Build(IntroMailInput.ForPair(program, "w1", pair, At, people));
        var toBo = Assert.Single(mails, m => m.To.Single().Name == "Bo");
        var toAna = Assert.Single(mails, m => m.To.Single().Name == "Ana");

        Assert.Contains("Bo, Ana is your culture buddy in Peer mentoring.", toBo.TextBody, StringComparison.Ordinal);
        Assert.Equal("[Peer mentoring] Meet your culture buddy: Ana", toBo.Subject);
        Assert.Contains("Ana, you are Bo's culture buddy in Peer mentoring.", toAna.TextBody, StringComparison.Ordinal);
        Assert.Equal("[Peer mentoring] You are Bo's culture buddy", toAna.Subject);
        Assert.All(mails, mail => Assert.DoesNotContain("there is no mentor and mentee", mail.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public void The_draft_mail_says_the_kinds_were_solved_one_by_one()
    {
        var people = new[] { Newcomer("Bo"), Buddy("Ana", culture: true, role: false), Buddy("Ben", culture: false, role: true) };
        var program = Buddies();
        var draft = MatchingEngine.Draft(Request(program, people));
        var links = new DraftActionLinks(new Uri("https://x/a"), new Uri("https://x/r"), new Uri("https://x/e"));
        var mail = AdminMail.Draft(new DraftMailInput(program, draft, 1, "w1", new Mentoring.Core.Mail.MailAddress("admin@example.com"), links));

        Assert.Contains("Each kind of buddy (culture buddy and role buddy) was matched by its own exact b-matching", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ana is Bo's culture buddy", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ben is Bo's role buddy", mail.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Against a brute force over every choice of one buddy (or none) per newcomer and kind on small random programs:
    /// capacities, eligibility, hard rules and "never the same buddy twice" always hold; the draft never beats the
    /// brute-force optimum (it would be infeasible), and it equals it whenever it says no pair came up in two kinds.
    /// </summary>
    [Fact]
    public void Small_random_buddy_drafts_hold_every_rule_and_are_optimal_when_the_kinds_never_clash()
    {
        var exact = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var rng = new Random(seed);
            var kinds = new[] { Culture with { Capacity = rng.Next(1, 3) }, RoleKind with { Capacity = rng.Next(1, 3) } };
            var program = Buddies(kinds);
            var people = new List<Participant>();
            (string, string[]) Dept() => A("department", Department.Options[rng.Next(Department.Options.Count)]);
            (string, string[]) Boss() => Manager(rng.Next(4) == 0 ? "Zed" : $"M{rng.Next(100)}");
            var newcomers = rng.Next(1, 4);
            var buddies = rng.Next(1, 4);
            for (var i = 0; i < newcomers; i++)
            {
                people.Add(Newcomer($"N{i}", Dept(), Boss()));
            }
            for (var i = 0; i < buddies; i++)
            {
                people.Add(Buddy($"B{i}", rng.Next(3) > 0, rng.Next(3) > 0, Dept(), Boss()));
            }
            var draft = MatchingEngine.Draft(Request(program, people));
            var rules = HardRules.Compile(people, [], []);
            var scorer = PairScorer.Compile(program.Questionnaire, people, At);
            int Index(string id) => people.FindIndex(p => p.Id == id);

            Assert.True(draft.Certificate!.IsOptimal, $"seed {seed}: {draft.Certificate.VerifierReason}");
            Assert.Equal(draft.Pairs.Count, draft.Pairs.Select(p => (p.A.Id, p.B.Id)).Distinct().Count());
            Assert.Equal(draft.Pairs.Count, draft.Pairs.Select(p => (p.B.Id, p.BuddyKind)).Distinct().Count());
            foreach (var kind in kinds)
            {
                Assert.All(draft.Pairs.Where(p => p.BuddyKind == kind.Key).GroupBy(p => p.A.Id), g => Assert.True(g.Count() <= kind.Capacity, $"seed {seed}"));
                Assert.All(draft.Pairs.Where(p => p.BuddyKind == kind.Key), p =>
                    Assert.Equal("yes", people[Index(p.A.Id)].Answers[kind.Eligibility][0]));
            }
            Assert.All(draft.Pairs, p => Assert.True(rules.Allows(Index(p.A.Id), Index(p.B.Id)), $"seed {seed}"));

            var got = (draft.Pairs.Count, draft.Pairs.Sum(p => (long)p.Score));
            var best = BruteForce(people, newcomers, kinds, rules, scorer);
            Assert.True(got.CompareTo(best) <= 0, $"seed {seed}: draft {got} beats the brute force {best}");
            if (draft.Certificate.Statement.Contains("kinds together are optimal", StringComparison.Ordinal))
            {
                exact++;
                Assert.True(got == best, $"seed {seed}: draft {got}, brute force {best}");
            }
        }
        Assert.True(exact > 100, $"only {exact} drafts had no clash");
    }

    /// <summary>Best (pairs, score) over every assignment: per newcomer and kind one eligible, allowed buddy or none; newcomers first in <paramref name="people"/>.</summary>
    private static (int, long) BruteForce(List<Participant> people, int newcomers, BuddyKind[] kinds, HardRules rules, PairScorer scorer)
    {
        var buddies = Enumerable.Range(newcomers, people.Count - newcomers).ToArray();
        var slots = (from n in Enumerable.Range(0, newcomers) from k in Enumerable.Range(0, kinds.Length) select (n, k)).ToArray();
        var choice = new int[slots.Length];
        (int, long) best = (0, 0);
        var combos = (int)Math.Pow(buddies.Length + 1, slots.Length);
        for (var code = 0; code < combos; code++)
        {
            var c = code;
            for (var s = 0; s < slots.Length; s++)
            {
                choice[s] = c % (buddies.Length + 1) - 1;
                c /= buddies.Length + 1;
            }
            var valid = true;
            var load = new int[people.Count, kinds.Length];
            var count = 0;
            long score = 0;
            for (var s = 0; s < slots.Length && valid; s++)
            {
                if (choice[s] < 0)
                {
                    continue;
                }
                var (n, k) = slots[s];
                var b = buddies[choice[s]];
                var twice = Enumerable.Range(0, kinds.Length).Any(k2 => k2 != k && choice[(n * kinds.Length) + k2] == choice[s]);
                valid = people[b].Answers[kinds[k].Eligibility][0] == "yes" && rules.Allows(b, n) && !twice && ++load[b, k] <= kinds[k].Capacity;
                count++;
                score += scorer.Score(b, n);
            }
            if (valid && (count, score).CompareTo(best) > 0)
            {
                best = (count, score);
            }
        }
        return best;
    }
}
