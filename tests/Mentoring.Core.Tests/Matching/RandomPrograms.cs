using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching;

/// <summary>Random programs and snapshots from a seed, dense in hard rules, plus an oracle for the rules written independently of HardRules.</summary>
internal static class RandomPrograms
{
    private static readonly string[] Departments = ["Engineering", "Sales", "Legal", "Finance"];
    private static readonly string[] Zones = ["Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Etc/GMT+11", "Etc/GMT-12"];
    private static readonly string[] Skills = ["sql", "design", "finance", "coaching"];
    private static readonly string[] GoalOptions = ["negotiation", "public speaking", "leadership", "writing"];

    public static MatchingRequest Request(int seed, int maxPeople, ProgramKind? kind = null, OddCountPolicy? odd = null, bool pins = true, int minPeople = 0)
    {
        var rng = new Random(seed);
        var questions = new List<Question>
        {
            Level with { Weight = rng.Next(0, 10) },
            Department with { Weight = rng.Next(0, 10) },
            Goals with { Weight = rng.Next(0, 15) },
            Offers with { Weight = rng.Next(0, 12) },
            Wants,
            TimeZoneQuestion with { Weight = rng.Next(0, 6) },
        };
        var program = Program(
            questions,
            kind ?? (rng.Next(4) == 0 ? ProgramKind.Groups : ProgramKind.Cohort),
            rng.Next(2) == 0 ? MatchingObjective.MostPairsThenScore : MatchingObjective.HighestScore,
            odd ?? (rng.Next(2) == 0 ? OddCountPolicy.Trio : OddCountPolicy.Waitlist),
            groupSize: rng.Next(3, 6));
        var n = rng.Next(minPeople, maxPeople + 1);
        var names = Enumerable.Range(0, n).Select(i => $"P{i}").ToArray();
        var people = new List<Participant>();
        foreach (var name in names)
        {
            var answers = new List<(string, string[])>();
            void Maybe(string key, Func<string[]> values)
            {
                if (rng.Next(5) > 0)
                {
                    answers.Add((key, values()));
                }
            }
            string[] Some(string[] from) => [.. from.Where(_ => rng.Next(3) == 0)];
            Maybe("level", () => [Level.Options[rng.Next(Level.Options.Count)]]);
            Maybe("department", () => [Departments[rng.Next(Departments.Length)]]);
            Maybe("goals", () => Some(GoalOptions));
            Maybe("offers", () => Some(Skills));
            Maybe("wants", () => Some(Skills));
            Maybe("timeZone", () => [Zones[rng.Next(Zones.Length)]]);
            Maybe("preferences", () => Some([.. BuiltInQuestions.PreferenceOptions.All]));
            if (n > 0 && rng.Next(3) == 0)
            {
                // Managers come from a small pool that includes participants, so both manager rules occur.
                var manager = rng.Next(2) == 0 ? names[rng.Next(n)] : $"Boss{rng.Next(2)}";
                answers.Add(Manager(manager));
            }
            if (n > 0 && rng.Next(4) == 0)
            {
                answers.Add(A("doNotMatch", $"{names[rng.Next(n)].ToLowerInvariant()}@example.com"));
            }
            var person = Person(name, [.. answers]);
            people.Add(rng.Next(12) == 0 ? person with { Status = ParticipantStatus.Withdrawn } : person);
        }
        ParticipantPair[] RandomPairs(int max) => n < 2 ? [] : [.. Enumerable.Range(0, rng.Next(max + 1)).Select(_ => Pair(names[rng.Next(n)], names[rng.Next(n)]))];
        return new MatchingRequest
        {
            Program = program,
            Participants = people,
            At = At,
            History = new MatchingHistory
            {
                PreviousPairs = RandomPairs(n / 2),
                WaitlistedLastRound = [.. names.Where(_ => rng.Next(6) == 0)],
            },
            ForbiddenPairs = RandomPairs(2),
            PinnedPairs = pins ? RandomPairs(1) : [],
            ExcludedParticipantIds = [.. names.Where(_ => rng.Next(15) == 0)],
        };
    }

    /// <summary>The hard rules, straight from the request's data.</summary>
    public static bool Allowed(MatchingRequest request, string a, string b)
    {
        if (a == b)
        {
            return false;
        }
        var byId = request.Participants.ToDictionary(p => p.Id);
        Participant pa = byId[a], pb = byId[b];
        var ma = pa.SingleAnswer(BuiltInQuestions.ManagerEmail);
        var mb = pb.SingleAnswer(BuiltInQuestions.ManagerEmail);
        bool Same(ParticipantPair p) => (p.A == a && p.B == b) || (p.A == b && p.B == a);
        return !(ma is not null && ma != pa.Email && ma == mb)
            && ma != pb.Email && mb != pa.Email
            && !pa.Answer(BuiltInQuestions.DoNotMatch).Contains(pb.Email)
            && !pb.Answer(BuiltInQuestions.DoNotMatch).Contains(pa.Email)
            && !request.History.PreviousPairs.Any(Same)
            && !request.ForbiddenPairs.Any(Same);
    }

    /// <summary>People the draft must account for: registered and not excluded.</summary>
    public static List<Participant> Active(MatchingRequest request) =>
        [.. request.Participants.Where(p => p.Status == ParticipantStatus.Registered && !request.ExcludedParticipantIds.Contains(p.Id))];
}
