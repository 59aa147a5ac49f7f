namespace Mentoring.Cosmos.Tests;

public sealed class CosmosItemIdTests
{
    [Theory]
    [InlineData("participant", "3f2b9c1e-aa10-4c7e-9d2f-0b1c2d3e4f50", "participant.3f2b9c1e-aa10-4c7e-9d2f-0b1c2d3e4f50")]
    [InlineData("program", "cohort_2026-spring", "program.cohort_2026-spring")]
    [InlineData("submission", "typeform/abc?x#y", "submission.typeform~2Fabc~3Fx~23y")]
    [InlineData("a.b", "c.d", "a~2Eb.c~2Ed")]
    [InlineData("k", "ü", "k.~C3~BC")]
    [InlineData("k", "😀", "k.~F0~9F~98~80")]
    public void Encodes_readably_and_decodes_back(string kind, string id, string expected)
    {
        var itemId = CosmosItemId.Encode(kind, id);

        Assert.Equal(expected, itemId);
        Assert.True(CosmosItemId.TryDecode(itemId, out var decodedKind, out var decodedId));
        Assert.Equal(kind, decodedKind);
        Assert.Equal(id, decodedId);
    }

    [Theory]
    [InlineData("sample", "a/b\\c?d#e%f g:h~i.j\tk\"l'm")]
    [InlineData("odd/kind?", " leading and trailing ")]
    public void Never_holds_a_character_cosmos_or_the_url_path_would_trip_over(string kind, string id)
    {
        var itemId = CosmosItemId.Encode(kind, id);

        Assert.All(itemId, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '~' or '.', $"'{c}' in {itemId}"));
        Assert.Single(itemId, c => c == '.');
    }

    [Fact]
    public void Different_keys_never_share_an_item_id()
    {
        (string Kind, string Id)[] keys = [("a", "b.c"), ("a.b", "c"), ("a", "b~2Ec"), ("a~", "b"), ("a", "~b"), ("A", "b")];

        var ids = keys.Select(key => CosmosItemId.Encode(key.Kind, key.Id)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData(".id")]
    [InlineData("kind.")]
    [InlineData("kind.a.b")]
    [InlineData("kind.~4")]
    [InlineData("kind.~zz")]
    [InlineData("kind.~41")]
    [InlineData("kind.~2f")]
    [InlineData("kind.~C3")]
    [InlineData("kind.with space")]
    public void Decoding_refuses_anything_that_is_not_a_canonical_encoding(string itemId)
    {
        Assert.False(CosmosItemId.TryDecode(itemId, out _, out _));
    }

    [Fact]
    public void Refuses_empty_parts_lone_surrogates_and_overlong_ids()
    {
        Assert.ThrowsAny<ArgumentException>(() => CosmosItemId.Encode("", "id"));
        Assert.ThrowsAny<ArgumentException>(() => CosmosItemId.Encode("kind", ""));
        Assert.ThrowsAny<ArgumentException>(() => CosmosItemId.Encode("kind", "\ud800"));
        Assert.ThrowsAny<ArgumentException>(() => CosmosItemId.Encode("kind", new string('/', 400)));
        Assert.Equal(CosmosItemId.MaxLength, CosmosItemId.Encode("k", new string('x', CosmosItemId.MaxLength - 2)).Length);
    }
}
