using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Privacy;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Privacy;

/// <summary>What erasing Ann leaves of a stored draft: her name and address go wherever she appears, Anna and the figures stay.</summary>
public sealed class DraftScrubberTests
{
    private static readonly DraftMember Ann = new("p_ann", "Ann", "ann@example.com");
    private static readonly DraftMember Anna = new("p_anna", "Anna", "anna@example.com");
    private static readonly DraftMember Bo = new("p_bo", "Bo", "bo@example.com");
    private static readonly DraftMember Cy = new("p_cy", "Cy", "cy@example.com");
    private static readonly DraftMember ErasedAnn = new("p_ann", "(erased)", "erased+p_ann@invalid");

    private static readonly IReadOnlyList<CriterionPoints> NoCriteria = [];

    private static DraftPair Pair(DraftMember a, DraftMember b, string sentence) => new(a, b, 40, NoCriteria, sentence);

    private static PairDraft Draft(params DraftPair[] pairs) => new()
    {
        ProgramId = "spring",
        Kind = ProgramKind.Cohort,
        Objective = MatchingObjective.MostPairsThenScore,
        OddCount = OddCountPolicy.Trio,
        At = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero),
        Pairs = pairs,
        Stats = new DraftStats(People: 6, PeopleMatched: 5, PeopleWaitlisted: 1, Pairs: 1, Trios: 1, Groups: 0, TotalScore: 120, MeanScore: 40, MinScore: 40, MaxScore: 40),
    };

    private static PairDraft Scrub(PairDraft draft) => DraftScrubber.Scrub(draft, "p_ann", "Ann", "(erased)", "erased+p_ann@invalid");

    [Fact]
    public void Her_name_goes_from_every_part_of_the_draft_and_only_as_a_whole_word()
    {
        var draft = Draft(Pair(Ann, Bo, "Ann and Bo: different departments")) with
        {
            Trios = [new DraftGroup([Anna, Cy, Ann], 80, [Pair(Anna, Ann, "Anna mentors Ann"), Pair(Cy, Ann, "Cy and Ann share Go")], "Anna, Cy and Ann")],
            Waitlist = [new WaitlistEntry(new DraftMember("p_di", "Di", "di@example.com"), WaitlistReason.PartnersTaken, "Di's best partner, Ann, is taken; Annabel too", false)],
            SetAside = [new SetAsideEntry(new DraftMember("p_ed", "Ed", "ed@example.com"), "Same manager as Ann.")],
            Notes = ["Ann was pinned to Bo", "Nothing about her"],
        };

        var scrubbed = Scrub(draft);

        Assert.Equal(Pair(ErasedAnn, Bo, "(erased) and Bo: different departments"), scrubbed.Pairs[0]);
        var trio = scrubbed.Trios[0];
        Assert.Equal([Anna, Cy, ErasedAnn], trio.Members);
        Assert.Equal(["Anna mentors (erased)", "Cy and (erased) share Go"], trio.Links.Select(l => l.Sentence));
        Assert.Equal([(Anna, ErasedAnn), (Cy, ErasedAnn)], trio.Links.Select(l => (l.A, l.B)));
        Assert.Equal("Anna, Cy and (erased)", trio.Sentence);
        Assert.Equal("Di's best partner, (erased), is taken; Annabel too", scrubbed.Waitlist[0].Explanation);
        Assert.Equal("Same manager as (erased).", scrubbed.SetAside[0].Reason);
        Assert.Equal(["(erased) was pinned to Bo", "Nothing about her"], scrubbed.Notes);
        Assert.Equal((draft.Stats, draft.At), (scrubbed.Stats, scrubbed.At));
    }

    [Fact]
    public void A_draft_she_is_not_in_is_returned_as_it_is_even_if_a_sentence_names_someone_called_like_her()
    {
        var draft = Draft(Pair(Anna, Bo, "Ann would have liked Bo too")) with { Trios = [new DraftGroup([Anna, Bo, Cy], 80, [], "Anna, Bo and Cy")] };

        Assert.Same(draft, Scrub(draft));
    }

    [Theory]
    [InlineData("waitlist")]
    [InlineData("set aside")]
    [InlineData("group")]
    public void She_is_found_wherever_she_is_listed(string where)
    {
        var draft = where switch
        {
            "waitlist" => Draft() with { Waitlist = [new WaitlistEntry(Ann, WaitlistReason.OddCount, "Ann waits", true)] },
            "set aside" => Draft() with { SetAside = [new SetAsideEntry(Ann, "Ann withdrew")] },
            _ => Draft() with { Groups = [new DraftGroup([Bo, Ann], 10, [], "Ann's group")] },
        };

        var scrubbed = Scrub(draft);

        Assert.NotSame(draft, scrubbed);
        var text = System.Text.Json.JsonSerializer.Serialize(scrubbed);
        Assert.DoesNotContain("Ann", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ann@example.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Someone_without_a_name_keeps_the_texts_and_loses_the_address()
    {
        var draft = Draft(Pair(Ann with { Name = "" }, Bo, "Bo and a colleague (HR)."));

        var scrubbed = DraftScrubber.Scrub(draft, "p_ann", "", "(erased)", "erased+p_ann@invalid");

        Assert.Equal(Pair(ErasedAnn, Bo, "Bo and a colleague (HR)."), scrubbed.Pairs[0]);
    }
}
