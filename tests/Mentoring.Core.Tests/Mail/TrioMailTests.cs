using Mentoring.Core.Mail.Templates;
using static Mentoring.Core.Tests.Mail.MailFixtures;

namespace Mentoring.Core.Tests.Mail;

/// <summary>Defect 4 of issue 12 (trios could not be edited and were scored and worded as pairs) and the waitlist's include link.</summary>
public sealed class TrioMailTests
{
    private static readonly Uri ForbidEdFay = new("https://mentoring.example.com/api/decisions/forbid-ed-fay");
    private static readonly Uri ForbidFayGus = new("https://mentoring.example.com/api/decisions/forbid-fay-gus");
    private static readonly Uri Split = new("https://mentoring.example.com/api/decisions/split");

    [Fact]
    public void A_trio_in_the_draft_mail_is_scored_per_link_and_offers_forbid_and_split_links()
    {
        var input = DraftInput() with { Links = MailFixtures.Links() with { Trios = [new TrioActionLinks([ForbidEdFay, ForbidFayGus], Split)] } };

        var text = AdminMail.Draft(input).TextBody;

        Assert.Contains("1. Ed, Fay and Gus - score 35 per link", text, StringComparison.Ordinal);
        Assert.DoesNotContain("score 70", text, StringComparison.Ordinal);
        Assert.Contains("Forbid Ed & Fay and re-draft: " + ForbidEdFay.AbsoluteUri, text, StringComparison.Ordinal);
        Assert.Contains("Forbid Fay & Gus and re-draft: " + ForbidFayGus.AbsoluteUri, text, StringComparison.Ordinal);
        Assert.Contains("Split: keep Ed & Fay as a pair, Gus moves: " + Split.AbsoluteUri, text, StringComparison.Ordinal);
        Assert.DoesNotContain(" | ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_waitlisted_person_in_the_draft_mail_has_an_include_link()
    {
        var include = new Uri("https://mentoring.example.com/api/decisions/include-di");
        var input = DraftInput() with { Links = MailFixtures.Links() with { IncludeWaitlisted = [include] } };

        Assert.Contains("Include Di and re-draft: " + include.AbsoluteUri, AdminMail.Draft(input).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trio_intro_speaks_to_all_three_and_lists_why_each_two_of_them_fit()
    {
        var trio = Draft().Trios[0];

        var text = IntroMail.Build(IntroMailInput.ForGroup(Program(), "w-2027-03", trio, At))[0].TextBody;

        Assert.Contains("All three of you learn", text, StringComparison.Ordinal);
        Assert.Contains("Any of you can end it kindly", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Both of you", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Either of you", text, StringComparison.Ordinal);
        Assert.Contains("  - Ed & Fay: ", text, StringComparison.Ordinal);
        Assert.Contains("  - Fay & Gus: ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" | ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pair_intro_still_speaks_to_both()
    {
        var text = IntroMail.Build(IntroMailInput.ForPair(Program(), "w-2027-03", Draft().Pairs[0], At))[0].TextBody;

        Assert.Contains("Both of you learn", text, StringComparison.Ordinal);
        Assert.Contains("Either of you can end it kindly", text, StringComparison.Ordinal);
    }
}
