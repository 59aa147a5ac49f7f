using System.Text;
using Mentoring.Core.Links;

namespace Mentoring.Core.Tests.Links;

public sealed class LinkSignerTests
{
    private sealed record Grant(string Who, string? Note = null);

    private static readonly SigningKey Current = new("k2", Enumerable.Repeat((byte)7, 32).ToArray());
    private static readonly SigningKey Previous = new("k1", Enumerable.Repeat((byte)9, 40).ToArray());

    private static readonly LinkSigner Signer = new([Current, Previous]);

    private static TokenProblem ProblemOf(string token) => Signer.Verify<Grant>(token).Problem;

    [Fact]
    public void A_signed_grant_verifies_back_to_the_same_grant()
    {
        var grant = new Grant("ana@example.com", "pair 3");
        var (back, problem) = Signer.Verify<Grant>(Signer.Sign(grant));
        Assert.Equal(TokenProblem.None, problem);
        Assert.Equal(grant, back);
    }

    [Fact]
    public void A_token_is_url_safe_and_names_the_key_that_signed_it()
    {
        // Notes of 0..5 characters give every base64 padding case; none may leave '=', '+' or '/' in a link.
        var plainBase64WouldNotBeSafe = false;
        for (var i = 0; i < 6; i++)
        {
            var token = Signer.Sign(new Grant("ana@example.com", new string('n', i)));
            var parts = token.Split('.');
            Assert.Equal(3, parts.Length);
            Assert.Equal("k2", parts[1]);
            Assert.DoesNotContain('=', token);
            Assert.DoesNotContain('+', token);
            Assert.DoesNotContain('/', token);
            Assert.Equal(TokenProblem.None, ProblemOf(token));
            plainBase64WouldNotBeSafe |= parts[2].Contains('-', StringComparison.Ordinal) || parts[2].Contains('_', StringComparison.Ordinal);
        }
        Assert.True(plainBase64WouldNotBeSafe, "no signature here needed the URL-safe alphabet; pick other notes");
    }

    [Fact]
    public void The_first_key_signs_and_a_link_signed_before_a_rotation_still_verifies()
    {
        var before = new LinkSigner([Previous]).Sign(new Grant("bo@example.com"));
        var (grant, problem) = Signer.Verify<Grant>(before);
        Assert.Equal(TokenProblem.None, problem);
        Assert.Equal("bo@example.com", grant!.Who);
    }

    [Fact]
    public void A_link_signed_with_a_retired_key_is_refused_as_unknown()
    {
        var retired = new LinkSigner([new SigningKey("k0", new byte[32])]).Sign(new Grant("bo@example.com"));
        Assert.Equal((null, TokenProblem.UnknownKey), Signer.Verify<Grant>(retired));
    }

    [Fact]
    public void A_changed_payload_or_signature_is_refused_as_forged()
    {
        var token = Signer.Sign(new Grant("ana@example.com"));
        var parts = token.Split('.');
        var forgedPayload = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"who\":\"eve@example.com\"}")).TrimEnd('=');
        Assert.Equal(TokenProblem.BadSignature, ProblemOf($"{forgedPayload}.{parts[1]}.{parts[2]}"));

        var otherSignature = Signer.Sign(new Grant("eve@example.com")).Split('.')[2];
        Assert.Equal(TokenProblem.BadSignature, ProblemOf($"{parts[0]}.{parts[1]}.{otherSignature}"));

        // The same payload under another key id with that key's own secret is a different signature.
        Assert.Equal(TokenProblem.BadSignature, ProblemOf($"{parts[0]}.k1.{parts[2]}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("abc.k2")]
    [InlineData("abc.k2.def.ghi")]
    [InlineData(".k2.abc")]
    public void A_token_without_three_parts_and_a_payload_is_malformed(string token) =>
        Assert.Equal((null, TokenProblem.Malformed), Signer.Verify<Grant>(token));

    [Fact]
    public void A_null_token_is_malformed() => Assert.Equal(TokenProblem.Malformed, Signer.Verify<Grant>(null!).Problem);

    [Fact]
    public void A_link_cut_short_by_a_mail_client_is_malformed_not_an_error()
    {
        // Some clients wrap long links; a payload or signature missing characters must not throw.
        var token = Signer.Sign(new Grant("ana@example.com", "x"));
        var parts = token.Split('.');
        foreach (var cut in new[] { 1, 2, 3 })
        {
            var payload = parts[0][..^cut];
            var problem = ProblemOf($"{payload}.{parts[1]}.{parts[2]}");
            Assert.True(problem is TokenProblem.Malformed or TokenProblem.BadSignature, $"cut {cut}: {problem}");
        }
        Assert.Equal(TokenProblem.Malformed, ProblemOf($"{parts[0]}.{parts[1]}.{parts[2]}!"));
        Assert.Equal(TokenProblem.Malformed, ProblemOf($"{parts[0]}.{parts[1]}.{parts[2]}AA"));
    }

    [Fact]
    public void A_correctly_signed_payload_that_is_not_a_grant_is_malformed()
    {
        Assert.Equal(TokenProblem.Malformed, ProblemOf(SignRaw("not json")));
        Assert.Equal(TokenProblem.Malformed, ProblemOf(SignRaw("null")));
        Assert.Equal(TokenProblem.None, ProblemOf(SignRaw("{\"who\":\"ana@example.com\"}")));
    }

    [Fact]
    public void A_payload_over_4096_characters_is_refused_before_any_work()
    {
        // {"who":"..."} is 10 bytes plus the name: 3072 bytes encode to exactly 4096 characters.
        var longest = Signer.Sign(new Grant(new string('a', 3072 - 10)));
        Assert.Equal(4096, longest.Split('.')[0].Length);
        Assert.Equal(TokenProblem.None, ProblemOf(longest));

        var tooLong = Signer.Sign(new Grant(new string('a', 3073 - 10)));
        Assert.Equal(TokenProblem.Malformed, ProblemOf(tooLong));
    }

    [Fact]
    public void Signing_needs_a_key_of_32_bytes_or_more_with_an_id_without_dots()
    {
        // The operator reads this at start-up: it must say what a usable key is.
        var refused = Assert.Throws<ArgumentException>(() => new LinkSigner([]));
        Assert.StartsWith("At least one signing key of 32 bytes or more is required, with an id without dots.", refused.Message);
        Assert.Throws<ArgumentException>(() => new LinkSigner([new SigningKey("short", new byte[31])]));
        Assert.Throws<ArgumentException>(() => new LinkSigner([Current, new SigningKey("a.b", new byte[32])]));
        Assert.NotNull(new LinkSigner([new SigningKey("exact", new byte[32])]));
    }

    [Fact]
    public void Configured_keys_are_read_in_order_with_spaces_and_empty_entries_ignored()
    {
        var secretA = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var secretB = Convert.ToBase64String(Enumerable.Range(1, 33).Select(i => (byte)i).ToArray());
        var keys = LinkSigner.ParseKeys($" new:{secretA} ,, old:{secretB},");
        Assert.Equal(["new", "old"], keys.Select(k => k.Id));
        Assert.Equal(Convert.FromBase64String(secretA), keys[0].Secret);
        Assert.Equal(Convert.FromBase64String(secretB), keys[1].Secret);
    }

    [Theory]
    [InlineData("no-colon")]
    [InlineData(":c2VjcmV0")]
    public void A_configured_key_without_an_id_is_refused_with_the_expected_format(string configured) =>
        Assert.Equal("Signing keys are 'id:base64secret', separated by commas.",
            Assert.Throws<FormatException>(() => LinkSigner.ParseKeys(configured)).Message);

    [Fact]
    public void The_digest_of_a_token_is_its_lowercase_sha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", LinkSigner.Digest("abc"));
        Assert.NotEqual(LinkSigner.Digest("abc"), LinkSigner.Digest("abd"));
    }

    /// <summary>A token over an arbitrary payload, signed as the signer would (HMAC-SHA256 of the encoded payload).</summary>
    private static string SignRaw(string json)
    {
        var payload = Url(Encoding.UTF8.GetBytes(json));
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Current.Secret, Encoding.ASCII.GetBytes(payload));
        return $"{payload}.{Current.Id}.{Url(mac)}";
    }

    private static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
