using Mentoring.Core.Common;
using Mentoring.Core.Mail;

namespace Mentoring.Core.Tests.Mail;

/// <summary>No text from a participant or an admin can shape a mail header: subjects and display names are one line.</summary>
public sealed class HeaderTextTests
{
    [Theory]
    [InlineData("Meet Bo\r\nBcc: everyone@example.com", "Meet Bo Bcc: everyone@example.com")]
    [InlineData("Meet\nBo", "Meet Bo")]
    [InlineData("Meet\u0000Bo\u001b[31m", "Meet Bo [31m")]
    [InlineData("Meet\u2028Bo\u202e", "Meet Bo")]
    [InlineData("  Meet \t Bo  ", "Meet Bo")]
    public void A_subject_is_always_one_line_without_control_or_format_characters(string typed, string expected)
    {
        var message = new MailMessage { IdempotencyKey = "k", To = [new MailAddress("ana@example.com")], Subject = typed, HtmlBody = "", TextBody = "" };

        Assert.Equal(expected, message.Subject);
        Assert.Equal(expected, (message with { Subject = typed }).Subject);
    }

    [Fact]
    public void A_display_name_is_one_line_however_it_was_stored()
    {
        var address = new MailAddress("ana@example.com", "Ana\r\nBcc: x@example.com\u0000");

        Assert.Equal("Ana Bcc: x@example.com", address.Name);
        Assert.Equal("Bo", (address with { Name = "\u001bBo\n" }).Name);
        Assert.Null(new MailAddress("ana@example.com").Name);
    }

    [Fact]
    public void Zero_width_joiners_stay_in_names_that_need_them() =>
        Assert.Equal("Mehr\u200Cdad", new MailAddress("m@example.com", "Mehr\u200Cdad").Name);

    [Theory]
    [InlineData("Ana\r\nSilva")]
    [InlineData("Ana\u0000")]
    [InlineData("\u001bAna")]
    [InlineData("Ana\u202eavlis")]
    [InlineData("Ana\u200b")]
    public void A_name_with_a_control_or_format_character_is_found(string name) =>
        Assert.NotNull(PlainText.FirstInvisible(name, allowJoiners: true));
}
