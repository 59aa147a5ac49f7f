using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Matching;
using Mentoring.Core.Programs;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching;

public class PairDraftJsonTests
{
    [Fact]
    public void A_draft_survives_a_round_trip_through_the_project_json_convention()
    {
        var people = new[]
        {
            Person("Ana", A("goals", "writing"), A("department", "Sales")),
            Person("Bo", A("goals", "writing"), A("department", "Legal")),
            Person("Cy", Manager("Ana")),
        };
        var draft = MatchingEngine.Draft(Request(Program([Goals, Department], odd: OddCountPolicy.Waitlist), people));

        var json = JsonSerializer.Serialize(draft, MentoringJson.Options);
        var back = JsonSerializer.Deserialize<PairDraft>(json, MentoringJson.Options)!;

        Assert.Contains("\"reason\":\"oddCount\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"overlap\"", json, StringComparison.Ordinal);
        Assert.Equal(draft.Pairs.Single().Sentence, back.Pairs.Single().Sentence);
        Assert.Equal(draft.Pairs.Single().Criteria, back.Pairs.Single().Criteria);
        Assert.Equal(draft.Waitlist.Single(), back.Waitlist.Single());
        Assert.Equal(draft.Stats, back.Stats);
        Assert.Equal(draft.Certificate, back.Certificate);
    }
}
