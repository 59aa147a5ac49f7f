using Mentoring.Core.Common;

namespace Mentoring.Core.Tests.Common;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ana@example.com", "ana@example.com")]
    [InlineData("  Ana.Silva+mentoring@Example.COM ", "ana.silva+mentoring@example.com")]
    [InlineData("ana@Bücher.example", "ana@xn--bcher-kva.example")]
    [InlineData("ana@xn--bcher-kva.example", "ana@xn--bcher-kva.example")]
    [InlineData("ana@BÜCHER.example", "ana@xn--bcher-kva.example")]
    [InlineData("o'neil@example.co.uk", "o'neil@example.co.uk")]
    public void A_deliverable_address_has_one_canonical_spelling(string typed, string canonical)
    {
        var check = EmailAddress.Check(typed);

        Assert.Equal(canonical, check.Canonical);
        Assert.Equal(canonical, EmailAddress.Normalise(typed));
    }

    [Fact]
    public void Two_spellings_of_an_internationalised_domain_have_one_digest() =>
        Assert.Equal(EmailAddress.Digest("Ana@Bücher.Example"), EmailAddress.Digest("ana@xn--bcher-kva.example"));

    [Theory]
    [InlineData("ana\0@example.com")]
    [InlineData("ana\u001b@example.com")]
    [InlineData("ana\u007f@example.com")]
    [InlineData("an\u200ba@example.com")]
    [InlineData("ana@exam\u200bple.com")]
    [InlineData("\u202eana@example.com")]
    [InlineData("ana@example.com\r\nBcc: x@example.com")]
    [InlineData("\ufeffana@example.com")]
    public void Control_and_format_characters_are_refused(string typed) =>
        Assert.Equal(Rules.ControlCharacter, EmailAddress.Check(typed).Rule);

    [Theory]
    [InlineData("<ana@example.com>")]
    [InlineData("Ana <ana@example.com>")]
    [InlineData("\"Ana Silva\" <ana@example.com>")]
    public void Display_names_and_angle_brackets_are_refused(string typed) =>
        Assert.Equal(Rules.AddressOnly, EmailAddress.Check(typed).Rule);

    [Theory]
    [InlineData("anä@example.com")]
    [InlineData("😀@example.com")]
    [InlineData("用户@例子.广告")]
    public void Non_ascii_local_parts_are_refused_with_their_own_rule(string typed)
    {
        var check = EmailAddress.Check(typed);

        Assert.Equal(Rules.AsciiLocalPart, check.Rule);
        Assert.Contains("ASCII", check.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ana")]
    [InlineData("ana@")]
    [InlineData("@example.com")]
    [InlineData("ana@example")]
    [InlineData("ana@@example.com")]
    [InlineData("ana@example..com")]
    [InlineData("ana@.example.com")]
    [InlineData("ana@example.com.")]
    [InlineData("ana silva@example.com")]
    [InlineData("ana.@example.com")]
    [InlineData(".ana@example.com")]
    [InlineData("\"ana silva\"@example.com")]
    [InlineData("ana@[192.0.2.1]")]
    [InlineData("ana@192.0.2.1")]
    [InlineData("ana@exa_mple.com")]
    [InlineData("ana@-example.com")]
    [InlineData("ana@xn--zz.example")]
    [InlineData("ana@example.com, bo@example.com")]
    [InlineData("(comment)ana@example.com")]
    public void Malformed_addresses_are_refused(string typed) =>
        Assert.Equal(Rules.InvalidEmail, EmailAddress.Check(typed).Rule);

    [Fact]
    public void An_address_over_254_characters_is_refused() =>
        Assert.Equal(Rules.InvalidEmail, EmailAddress.Check(new string('a', 60) + "@" + string.Join(".", Enumerable.Repeat(new string('b', 60), 4)) + ".com").Rule);

    [Fact]
    public void An_address_that_breaks_the_rule_still_normalises_to_its_trimmed_lower_case_text() =>
        Assert.Equal("an\u200ba@example.com", EmailAddress.Normalise(" An\u200bA@Example.com "));
}
