using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching.Roles;

public class LedGroupDraftTests
{
    private static MentoringProgram Led(int max = 3, int? min = null, int gap = 1) => Program([Level, Goals]) with
    {
        Pairing = PairingShape.GroupsLed,
        Roles = new RolePolicy { MaxMentees = max, MinMentees = min, SeniorityGap = gap },
    };

    private static Participant Lead(string name, int capacity, params string[] goals) =>
        Person(name, A(BuiltInQuestions.Role, "mentor"), A(BuiltInQuestions.Capacity, $"{capacity}"), A("level", "Staff"), A("goals", goals));

    private static Participant Mentee(string name, params (string Key, string[] Values)[] more) =>
        Person(name, [A(BuiltInQuestions.Role, "mentee"), A("level", "Junior"), .. more]);

    [Fact]
    public void Each_lead_gets_a_group_of_up_to_their_capacity_with_the_lead_first()
    {
        var people = new[]
        {
            Lead("Ana", 3, "leadership"), Lead("Ben", 2, "writing"),
            Mentee("Bo", A("goals", "leadership")), Mentee("Cy", A("goals", "leadership")), Mentee("Di", A("goals", "leadership")),
            Mentee("Ed", A("goals", "writing")), Mentee("Fay", A("goals", "writing")),
        };
        var draft = MatchingEngine.Draft(Request(Led(), people));

        Assert.Empty(draft.Pairs);
        Assert.Equal(2, draft.Groups.Count);
        var ana = draft.Groups.Single(g => g.LeadId == "Ana");
        Assert.Equal(["Ana", "Bo", "Cy", "Di"], ana.Members.Select(m => m.Id));
        Assert.Equal("Ana will lead a group with Bo, Cy and Di: ", ana.Sentence[..42]);
        Assert.All(ana.Links, l => Assert.Equal("Ana", l.A.Id));
        Assert.Equal(ana.Links.Sum(l => l.Score), ana.Score);
        Assert.Equal(["Ben", "Ed", "Fay"], draft.Groups.Single(g => g.LeadId == "Ben").Members.Select(m => m.Id));
        Assert.Empty(draft.Waitlist);
        Assert.Equal((7, 7, 2), (draft.Stats.People, draft.Stats.PeopleMatched, draft.Stats.Groups));
        Assert.True(draft.Certificate!.IsOptimal, draft.Certificate.VerifierReason);
    }

    [Fact]
    public void A_lead_left_with_one_mentee_is_dissolved_and_that_mentee_placed_again()
    {
        // Three mentees, two leads of capacity 2: the b-matching alone could split them 2 + 1. The one-mentee group is
        // dissolved; its mentee joins the other lead, and the dissolved lead waits with the reason.
        var people = new[]
        {
            Lead("Ana", 3, "leadership"), Lead("Ben", 2, "writing"),
            Mentee("Bo", A("goals", "leadership")), Mentee("Cy", A("goals", "leadership")), Mentee("Ed", A("goals", "writing")),
        };
        var draft = MatchingEngine.Draft(Request(Led(), people));

        var group = Assert.Single(draft.Groups);
        Assert.Equal(["Ana", "Bo", "Cy", "Ed"], group.Members.Select(m => m.Id));
        var ben = Assert.Single(draft.Waitlist);
        Assert.Equal("Ben", ben.Person.Id);
        Assert.Contains("leads no group this round: only Ed could join Ben's group and a led group needs at least two mentees", ben.Explanation, StringComparison.Ordinal);
        Assert.Contains(draft.Notes, n => n.StartsWith("Ben's group was dissolved", StringComparison.Ordinal));
        Assert.Contains("one group below the smallest size dissolved", draft.Certificate!.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_mentee_who_fits_no_group_waits_with_the_reason()
    {
        var people = new[] { Lead("Ana", 2, "leadership"), Mentee("Bo", A("goals", "leadership")) };
        var draft = MatchingEngine.Draft(Request(Led(), people));

        Assert.Empty(draft.Groups);
        Assert.Equal(["Ana", "Bo"], draft.Waitlist.Select(w => w.Person.Id).Order());
        Assert.Contains("the group leads who may take Bo (Ana) lead no group this round", draft.Waitlist.Single(w => w.Person.Id == "Bo").Explanation, StringComparison.Ordinal);
        Assert.Contains("Ana leads no group this round", draft.Waitlist.Single(w => w.Person.Id == "Ana").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_mentees_who_share_a_manager_are_never_in_one_group()
    {
        var people = new[]
        {
            Lead("Ana", 2, "leadership"), Lead("Ben", 2, "writing"),
            Mentee("Bo", A("goals", "leadership"), Manager("Zed")), Mentee("Cy", A("goals", "leadership"), Manager("Zed")),
            Mentee("Di", A("goals", "writing")), Mentee("Ed", A("goals", "writing")),
        };
        var draft = MatchingEngine.Draft(Request(Led(max: 2), people));

        Assert.Equal(2, draft.Groups.Count);
        Assert.All(draft.Groups, g => Assert.False(g.Members.Any(m => m.Id == "Bo") && g.Members.Any(m => m.Id == "Cy")));
        Assert.Contains(draft.Notes, n => n.Contains("same manager", StringComparison.Ordinal));
        Assert.Empty(draft.Waitlist);
    }

    [Fact]
    public void A_lead_who_said_either_and_cannot_fill_a_group_joins_one_as_a_mentee()
    {
        var people = new[]
        {
            Lead("Ana", 3, "leadership"),
            Person("Cy", A(BuiltInQuestions.Role, "either"), A(BuiltInQuestions.Capacity, "2"), A("level", "Senior"), A("goals", "writing")),
            Mentee("Bo", A("goals", "writing")), Mentee("Di", A("goals", "leadership")),
        };
        var draft = MatchingEngine.Draft(Request(Led(), people));

        var group = Assert.Single(draft.Groups);
        Assert.Equal("Ana", group.LeadId);
        Assert.Equal(["Ana", "Bo", "Cy", "Di"], group.Members.Select(m => m.Id).Order());
        Assert.Empty(draft.Waitlist);
        Assert.Contains(draft.Notes, n => n.Contains("Cy said either; with too few mentees for their own group, Cy may join a group as a mentee", StringComparison.Ordinal));
    }

    [Fact]
    public void The_intro_mail_of_a_led_group_says_who_leads_whom()
    {
        var people = new[] { Lead("Ana", 3, "leadership"), Mentee("Bo", A("goals", "leadership")), Mentee("Cy", A("goals", "leadership")), Mentee("Di", A("goals", "leadership")) };
        var program = Led();
        var group = Assert.Single(MatchingEngine.Draft(Request(program, people)).Groups);
        var mails = IntroMail.Build(IntroMailInput.ForGroup(program, "w1", group, At, people));

        Assert.Equal(4, mails.Count); // one per member
        Assert.Equal(4, mails.Select(m => Assert.Single(m.To).Email).Distinct().Count());
        foreach (var mail in mails)
        {
            Assert.Contains("Ana will lead a group with Bo, Cy and Di", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains("Ana leads the group", mail.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("there is no mentor and mentee", mail.TextBody, StringComparison.Ordinal);
            Assert.StartsWith("[Peer mentoring] Meet your mentoring group", mail.Subject, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_draft_mail_lists_led_groups_by_their_lead()
    {
        var people = new[] { Lead("Ana", 3, "leadership"), Mentee("Bo", A("goals", "leadership")), Mentee("Cy", A("goals", "leadership")) };
        var program = Led();
        var draft = MatchingEngine.Draft(Request(program, people));
        var links = new DraftActionLinks(new Uri("https://x/a"), new Uri("https://x/r"), new Uri("https://x/e"));
        var mail = AdminMail.Draft(new DraftMailInput(program, draft, 1, "w1", new MailAddress("admin@example.com"), links));

        Assert.Contains("Led groups (1)", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("No other assignment of mentees to these leads scores higher.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("1. Ana leads Bo and Cy - score", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ana will lead a group with Bo and Cy.", mail.TextBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// Against a brute force over every assignment of mentees to leads (or to no one) on small random programs: groups
    /// keep their sizes and capacities and the rules inside them; and whenever the draft made no repair (nothing
    /// dissolved, no link withheld) no valid set of groups matches more mentees, or as many with a higher score.
    /// </summary>
    [Fact]
    public void Small_random_led_group_drafts_hold_every_rule_and_are_optimal_when_unrepaired()
    {
        var exactChecked = 0;
        for (var seed = 0; seed < 250; seed++)
        {
            var rng = new Random(seed);
            var max = rng.Next(2, 4);
            var min = rng.Next(2, max + 1);
            var program = Led(max, min, gap: 0);
            var leads = rng.Next(1, 4);
            var mentees = rng.Next(1, 8 - leads);
            var people = new List<Participant>();
            string Goal() => Goals.Options[rng.Next(Goals.Options.Count)];
            (string, string[]) Boss() => Manager(rng.Next(3) == 0 ? "Zed" : $"M{rng.Next(100)}");
            for (var i = 0; i < leads; i++)
            {
                people.Add(Person($"L{i}", A(BuiltInQuestions.Role, "mentor"), A(BuiltInQuestions.Capacity, $"{rng.Next(min, max + 1)}"), A("goals", Goal(), Goal()), Boss()));
            }
            for (var i = 0; i < mentees; i++)
            {
                people.Add(Person($"E{i}", A(BuiltInQuestions.Role, "mentee"), A("goals", Goal()), Boss()));
            }
            var draft = MatchingEngine.Draft(Request(program, people));

            var rules = HardRules.Compile(people, [], []);
            var scorer = PairScorer.Compile(program.Questionnaire, people, At, roles: new RoleDirection(program.Roles.SeniorityGap, Reverse: false));
            int Index(string id) => people.FindIndex(p => p.Id == id);
            foreach (var group in draft.Groups)
            {
                var lead = Index(group.LeadId!);
                var capacity = int.Parse(people[lead].Answers[BuiltInQuestions.Capacity][0], System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(group.Members.Count - 1, min, capacity);
                var ids = group.Members.Select(m => Index(m.Id)).ToList();
                for (var x = 0; x < ids.Count; x++)
                {
                    for (var y = x + 1; y < ids.Count; y++)
                    {
                        Assert.True(rules.Allows(ids[x], ids[y]), $"seed {seed}: {people[ids[x]].Id} and {people[ids[y]].Id} share a group");
                    }
                }
            }
            Assert.Equal(people.Count, draft.Ids().Concat(draft.Waitlist.Select(w => w.Person.Id)).Distinct().Count());
            Assert.Equal(people.Count, draft.Ids().Count() + draft.Waitlist.Count);
            Assert.True(draft.Certificate!.IsOptimal, $"seed {seed}: {draft.Certificate.VerifierReason}");

            if (draft.Certificate.Statement.Contains("repairs", StringComparison.Ordinal))
            {
                continue;
            }
            exactChecked++;
            var got = (draft.Groups.Sum(g => g.Members.Count - 1), draft.Groups.Sum(g => (long)g.Score));
            var best = BruteForce(people, leads, min, rules, scorer);
            Assert.True(got == best, $"seed {seed}: draft {got}, brute force {best}");
        }
        Assert.True(exactChecked > 60, $"only {exactChecked} drafts needed no repair");
    }

    /// <summary>The best (mentees placed, total lead-mentee score) over every valid assignment: leads first in <paramref name="people"/>.</summary>
    private static (int, long) BruteForce(List<Participant> people, int leads, int min, HardRules rules, PairScorer scorer)
    {
        var mentees = people.Count - leads;
        var capacity = people.Take(leads).Select(p => int.Parse(p.Answers[BuiltInQuestions.Capacity][0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var choice = new int[mentees];
        (int, long) best = (0, 0);
        var combos = (int)Math.Pow(leads + 1, mentees);
        for (var code = 0; code < combos; code++)
        {
            var c = code;
            for (var e = 0; e < mentees; e++)
            {
                choice[e] = c % (leads + 1) - 1;
                c /= leads + 1;
            }
            var valid = true;
            var placed = 0;
            long score = 0;
            for (var l = 0; l < leads && valid; l++)
            {
                var group = Enumerable.Range(0, mentees).Where(e => choice[e] == l).Select(e => leads + e).ToList();
                if (group.Count == 0)
                {
                    continue;
                }
                valid = group.Count >= min && group.Count <= capacity[l]
                    && group.All(m => rules.Allows(l, m))
                    && group.All(a => group.All(b => a == b || rules.Allows(a, b)));
                placed += group.Count;
                score += group.Sum(m => (long)scorer.Score(l, m));
            }
            if (valid && (placed, score).CompareTo(best) > 0)
            {
                best = (placed, score);
            }
        }
        return best;
    }
}
