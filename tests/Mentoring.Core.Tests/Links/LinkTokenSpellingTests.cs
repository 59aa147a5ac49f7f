using Mentoring.Core.Links;

namespace Mentoring.Core.Tests.Links;

public sealed class LinkTokenSpellingTests
{
    private sealed record Grant(string Who, int N);

    private static readonly LinkSigner Signer = new([new SigningKey("k1", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())]);

    /// <summary>Other spellings that a lax base64 decoder turns into the same bytes as <paramref name="token"/>.</summary>
    public static IEnumerable<(string Name, string Token)> Respellings(string token)
    {
        var parts = token.Split('.');
        foreach (var (index, part) in new[] { (0, parts[0]), (2, parts[2]) })
        {
            string With(string changed)
            {
                var copy = (string[])parts.Clone();
                copy[index] = changed;
                return string.Join('.', copy);
            }

            var name = index == 0 ? "payload" : "signature";
            if (part.Length % 4 is 2 or 3)
            {
                yield return ($"{name} padded with '='", With(part + new string('=', 4 - part.Length % 4)));
            }

            if (part.Contains('-') || part.Contains('_'))
            {
                yield return ($"{name} in the '+' and '/' alphabet", With(part.Replace('-', '+').Replace('_', '/')));
            }

            // The last character carries unused low bits when the length is not a multiple of 4: set one.
            if (part.Length % 4 is 2 or 3)
            {
                const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                var last = alphabet.IndexOf(part[^1], StringComparison.Ordinal);
                yield return ($"{name} with a non-zero trailing bit", With(part[..^1] + alphabet[last | 1]));
            }
        }
    }

    [Fact]
    public void A_signed_token_verifies_and_every_other_spelling_of_it_is_malformed()
    {
        // Long enough that payload and signature both end in a partial group, so every respelling exists.
        var token = Signer.Sign(new Grant("ana@example.com-" + new string('x', 7), 42));
        Assert.Equal(new Grant("ana@example.com-xxxxxxx", 42), Signer.Verify<Grant>(token).Grant);

        var respellings = Respellings(token).ToList();
        Assert.Contains(respellings, r => r.Name.Contains("trailing bit", StringComparison.Ordinal));
        Assert.Contains(respellings, r => r.Name.Contains("padded", StringComparison.Ordinal));
        foreach (var (name, other) in respellings)
        {
            Assert.NotEqual(token, other);
            Assert.True(Signer.Verify<Grant>(other).Problem == TokenProblem.Malformed, $"{name}: {other}");
        }
    }

    [Fact]
    public void The_url_alphabet_is_refused_in_its_standard_form()
    {
        // Find a grant whose payload needs '-' or '_', so the '+' '/' respelling exists.
        var token = Enumerable.Range(0, 200).Select(i => Signer.Sign(new Grant(new string('?', i % 7 + 1) + "~>" + i, i)))
            .First(t => t.Split('.')[0].Contains('-') || t.Split('.')[0].Contains('_') || t.Split('.')[2].Contains('-') || t.Split('.')[2].Contains('_'));
        var standard = Respellings(token).Single(r => r.Name.Contains("alphabet", StringComparison.Ordinal) && r.Name.StartsWith(
            token.Split('.')[0].Contains('-') || token.Split('.')[0].Contains('_') ? "payload" : "signature", StringComparison.Ordinal));

        Assert.Equal(TokenProblem.Malformed, Signer.Verify<Grant>(standard.Token).Problem);
    }
}
