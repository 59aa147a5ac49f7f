using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Tests.Mail;

public sealed class ChoosingMailTests
{
    private static MailMessage Lapsed(string? askedAs) => ChoosingMail.Lapsed(MailFixtures.Program(), "w1", new MailAddress("bo@example.com", "Bo"), "Eve",
        MailFixtures.At.AddDays(3), fallback: true, "lapsed:bo>eve", askedAs);

    [Fact]
    public void A_request_to_someone_with_no_room_left_says_they_are_fully_matched()
    {
        var mail = Lapsed(askedAs: null);

        Assert.Equal("[Spring buddies] Eve is fully matched", mail.Subject);
        Assert.Contains("Eve has found all the partners they have room for", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_for_a_mentor_who_paired_as_a_mentee_instead_says_so_and_not_that_they_are_full()
    {
        var mail = Lapsed(BuiltInQuestions.RoleOptions.Mentor);

        Assert.Equal("[Spring buddies] Eve is no longer available as a mentor", mail.Subject);
        Assert.Contains("Eve could mentor or be mentored, and has just paired as a mentee, so they will not mentor anyone this round", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("fully matched", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("room for", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_to_mentor_someone_who_paired_as_a_mentor_instead_says_they_are_not_looking_for_a_mentor()
    {
        var mail = Lapsed(BuiltInQuestions.RoleOptions.Mentee);

        Assert.Equal("[Spring buddies] Eve is no longer available as a mentee", mail.Subject);
        Assert.Contains("has just paired as a mentor, so they are not looking for a mentor this round", mail.TextBody, StringComparison.Ordinal);
    }
}
