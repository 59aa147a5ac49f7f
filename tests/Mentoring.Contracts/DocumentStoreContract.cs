using Mentoring.Core.Persistence;

namespace Mentoring.Contracts;

/// <summary>
/// The behaviour every <see cref="IDocumentStore"/> adapter promises. Derive, implement
/// <see cref="CreateStoreAsync"/>, and every fact runs against the adapter. Observes the store only through the port.
/// </summary>
/// <remarks>
/// Each test uses its own program ids, so adapters may hand out one shared store (a Cosmos container) or a fresh one per call.
/// </remarks>
public abstract class DocumentStoreContract
{
    private const string Kind = "sample";
    private const string OtherKind = "other";
    private const int ConcurrentWriters = 50;
    private const int MaxAttemptsPerWriter = 10_000;

    protected string ProgramId { get; } = "program-" + Guid.NewGuid().ToString("N");

    protected string OtherProgramId { get; } = "program-" + Guid.NewGuid().ToString("N");

    /// <summary>A store for this test; the derived class owns its lifetime.</summary>
    protected abstract Task<IDocumentStore> CreateStoreAsync();

    [Fact]
    public async Task Reading_a_missing_document_returns_null()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.ReadAsync<SampleDocument>(Key("nobody")));
    }

    [Fact]
    public async Task Created_document_reads_back_with_every_value_intact()
    {
        var store = await CreateStoreAsync();
        var key = Key("full");
        var value = new SampleDocument(
            Name: "Ada Lovelace — ünïcødé \"quoted\"",
            Counter: 42,
            Stage: SampleStage.InReview,
            At: new DateTimeOffset(2026, 5, 17, 14, 3, 9, 123, TimeSpan.FromHours(2)),
            Tags: ["mentor", "remote", "mentor"],
            Scores: new Dictionary<string, int> { ["python"] = 3, ["CSharp"] = 5 },
            Children: [new SampleChild("first", 1), new SampleChild("second", 2)],
            Note: "line one\nline two",
            Best: new SampleChild("best", 9),
            ClosedAt: new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(-5)),
            Group: "cohort-a");

        var created = await store.CreateAsync(key, value);
        var read = await store.ReadAsync<SampleDocument>(key);

        Assert.NotNull(read);
        Assert.Equal(key, read.Key);
        Assert.Equal(created.ETag, read.ETag);
        AssertSameDocument(value, read.Value);
        AssertSameDocument(value, created.Value);
    }

    [Fact]
    public async Task Nulls_and_empty_collections_round_trip()
    {
        var store = await CreateStoreAsync();
        var key = Key("sparse");
        var value = SampleDocument.Simple("sparse");

        await store.CreateAsync(key, value);
        var read = await store.ReadAsync<SampleDocument>(key);

        Assert.NotNull(read);
        AssertSameDocument(value, read.Value);
        Assert.Null(read.Value.Note);
        Assert.Null(read.Value.Best);
        Assert.Null(read.Value.ClosedAt);
        Assert.Null(read.Value.Group);
    }

    [Fact]
    public async Task Etag_is_a_non_empty_string_and_changes_on_every_write()
    {
        var store = await CreateStoreAsync();
        var key = Key("etags");

        var created = await store.CreateAsync(key, SampleDocument.Simple("v1"));
        var replaced = await store.ReplaceAsync(key, SampleDocument.Simple("v2"), created.ETag);
        var upserted = await store.UpsertAsync(key, SampleDocument.Simple("v3"));

        string[] etags = [created.ETag, replaced.ETag, upserted.ETag];
        Assert.All(etags, etag => Assert.False(string.IsNullOrWhiteSpace(etag)));
        Assert.Equal(etags.Length, etags.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(upserted.ETag, (await store.ReadAsync<SampleDocument>(key))!.ETag);
    }

    [Fact]
    public async Task Creating_an_existing_key_conflicts_and_keeps_the_first_value()
    {
        var store = await CreateStoreAsync();
        var key = Key("twice");
        var first = await store.CreateAsync(key, SampleDocument.Simple("first"));

        var conflict = await Assert.ThrowsAsync<DocumentConflictException>(
            () => store.CreateAsync(key, SampleDocument.Simple("second")));

        Assert.Equal(key, conflict.Key);
        var read = await store.ReadAsync<SampleDocument>(key);
        Assert.Equal("first", read!.Value.Name);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task Replace_with_the_current_etag_changes_the_value_and_the_etag()
    {
        var store = await CreateStoreAsync();
        var key = Key("replace");
        var created = await store.CreateAsync(key, SampleDocument.Simple("before", counter: 1));

        var replaced = await store.ReplaceAsync(key, SampleDocument.Simple("after", counter: 2), created.ETag);

        Assert.NotEqual(created.ETag, replaced.ETag);
        Assert.Equal("after", replaced.Value.Name);
        var read = await store.ReadAsync<SampleDocument>(key);
        Assert.Equal("after", read!.Value.Name);
        Assert.Equal(2, read.Value.Counter);
        Assert.Equal(replaced.ETag, read.ETag);

        // The returned ETag guards the next write.
        var again = await store.ReplaceAsync(key, SampleDocument.Simple("again"), replaced.ETag);
        Assert.Equal("again", (await store.ReadAsync<SampleDocument>(key))!.Value.Name);
        Assert.Equal(again.ETag, (await store.ReadAsync<SampleDocument>(key))!.ETag);
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_fails_and_keeps_the_value()
    {
        var store = await CreateStoreAsync();
        var key = Key("stale");
        var created = await store.CreateAsync(key, SampleDocument.Simple("v1"));
        var current = await store.ReplaceAsync(key, SampleDocument.Simple("v2"), created.ETag);

        var failed = await Assert.ThrowsAsync<DocumentPreconditionFailedException>(
            () => store.ReplaceAsync(key, SampleDocument.Simple("lost update"), created.ETag));

        Assert.Equal(key, failed.Key);
        var read = await store.ReadAsync<SampleDocument>(key);
        Assert.Equal("v2", read!.Value.Name);
        Assert.Equal(current.ETag, read.ETag);
    }

    [Fact]
    public async Task Replace_with_an_etag_from_another_document_fails()
    {
        var store = await CreateStoreAsync();
        var other = await store.CreateAsync(Key("other"), SampleDocument.Simple("other"));
        var key = Key("target");
        await store.CreateAsync(key, SampleDocument.Simple("target"));

        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(
            () => store.ReplaceAsync(key, SampleDocument.Simple("hijack"), other.ETag));

        Assert.Equal("target", (await store.ReadAsync<SampleDocument>(key))!.Value.Name);
    }

    [Fact]
    public async Task Replacing_a_missing_document_is_not_found()
    {
        var store = await CreateStoreAsync();
        var key = Key("ghost");
        var elsewhere = await store.CreateAsync(Key("real"), SampleDocument.Simple("real"));

        var notFound = await Assert.ThrowsAsync<DocumentNotFoundException>(
            () => store.ReplaceAsync(key, SampleDocument.Simple("ghost"), elsewhere.ETag));

        Assert.Equal(key, notFound.Key);
        Assert.Null(await store.ReadAsync<SampleDocument>(key));
    }

    [Fact]
    public async Task Upsert_creates_a_missing_document()
    {
        var store = await CreateStoreAsync();
        var key = Key("upsert-new");

        var upserted = await store.UpsertAsync(key, SampleDocument.Simple("fresh", counter: 7));

        var read = await store.ReadAsync<SampleDocument>(key);
        Assert.Equal("fresh", read!.Value.Name);
        Assert.Equal(7, read.Value.Counter);
        Assert.Equal(upserted.ETag, read.ETag);
    }

    [Fact]
    public async Task Upsert_overwrites_an_existing_document_and_invalidates_its_etag()
    {
        var store = await CreateStoreAsync();
        var key = Key("upsert-existing");
        var created = await store.CreateAsync(key, SampleDocument.Simple("old"));

        var upserted = await store.UpsertAsync(key, SampleDocument.Simple("new"));

        Assert.NotEqual(created.ETag, upserted.ETag);
        Assert.Equal("new", (await store.ReadAsync<SampleDocument>(key))!.Value.Name);
        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(
            () => store.ReplaceAsync(key, SampleDocument.Simple("stale"), created.ETag));
    }

    [Fact]
    public async Task Delete_without_etag_removes_the_document()
    {
        var store = await CreateStoreAsync();
        var key = Key("delete");
        await store.CreateAsync(key, SampleDocument.Simple("doomed"));

        Assert.True(await store.DeleteAsync(key));

        Assert.Null(await store.ReadAsync<SampleDocument>(key));
    }

    [Fact]
    public async Task Delete_with_the_current_etag_removes_the_document()
    {
        var store = await CreateStoreAsync();
        var key = Key("delete-etag");
        var created = await store.CreateAsync(key, SampleDocument.Simple("doomed"));

        Assert.True(await store.DeleteAsync(key, created.ETag));

        Assert.Null(await store.ReadAsync<SampleDocument>(key));
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_fails_and_keeps_the_document()
    {
        var store = await CreateStoreAsync();
        var key = Key("delete-stale");
        var created = await store.CreateAsync(key, SampleDocument.Simple("v1"));
        await store.ReplaceAsync(key, SampleDocument.Simple("v2"), created.ETag);

        var failed = await Assert.ThrowsAsync<DocumentPreconditionFailedException>(() => store.DeleteAsync(key, created.ETag));

        Assert.Equal(key, failed.Key);
        Assert.Equal("v2", (await store.ReadAsync<SampleDocument>(key))!.Value.Name);
    }

    [Fact]
    public async Task Deleting_a_missing_document_returns_false()
    {
        var store = await CreateStoreAsync();
        var key = Key("never");
        var elsewhere = await store.CreateAsync(Key("real"), SampleDocument.Simple("real"));

        Assert.False(await store.DeleteAsync(key));
        Assert.False(await store.DeleteAsync(key, elsewhere.ETag));
    }

    [Fact]
    public async Task Deleting_twice_returns_false_the_second_time_and_the_key_can_be_created_again()
    {
        var store = await CreateStoreAsync();
        var key = Key("reborn");
        await store.CreateAsync(key, SampleDocument.Simple("first life"));

        Assert.True(await store.DeleteAsync(key));
        Assert.False(await store.DeleteAsync(key));

        await store.CreateAsync(key, SampleDocument.Simple("second life"));
        Assert.Equal("second life", (await store.ReadAsync<SampleDocument>(key))!.Value.Name);
    }

    [Fact]
    public async Task Same_id_in_different_programs_or_kinds_are_independent_documents()
    {
        var store = await CreateStoreAsync();
        var here = Key("shared-id");
        var otherKind = here with { Kind = OtherKind };
        var otherProgram = here with { ProgramId = OtherProgramId };

        var hereDoc = await store.CreateAsync(here, SampleDocument.Simple("here"));
        await store.CreateAsync(otherKind, SampleDocument.Simple("other kind"));
        var otherProgramDoc = await store.CreateAsync(otherProgram, SampleDocument.Simple("other program"));

        Assert.Equal("here", (await store.ReadAsync<SampleDocument>(here))!.Value.Name);
        Assert.Equal("other kind", (await store.ReadAsync<SampleDocument>(otherKind))!.Value.Name);
        Assert.Equal("other program", (await store.ReadAsync<SampleDocument>(otherProgram))!.Value.Name);

        await store.ReplaceAsync(here, SampleDocument.Simple("here v2"), hereDoc.ETag);
        Assert.True(await store.DeleteAsync(otherProgram, otherProgramDoc.ETag));

        Assert.Equal("here v2", (await store.ReadAsync<SampleDocument>(here))!.Value.Name);
        Assert.Equal("other kind", (await store.ReadAsync<SampleDocument>(otherKind))!.Value.Name);
        Assert.Null(await store.ReadAsync<SampleDocument>(otherProgram));
    }

    [Fact]
    public async Task Query_of_an_empty_kind_returns_an_empty_last_page()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(Key("elsewhere") with { Kind = OtherKind }, SampleDocument.Simple("elsewhere"));

        var page = await store.QueryAsync<SampleDocument>(new DocumentQuery(ProgramId, Kind));

        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Query_returns_only_the_requested_kind_in_the_requested_program()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(Key($"mine-{i}"), SampleDocument.Simple($"mine-{i}", counter: i));
            await store.CreateAsync(Key($"mine-{i}") with { Kind = OtherKind }, SampleDocument.Simple("other kind"));
            await store.CreateAsync(Key($"mine-{i}") with { ProgramId = OtherProgramId }, SampleDocument.Simple("other program"));
        }

        var page = await store.QueryAsync<SampleDocument>(new DocumentQuery(ProgramId, Kind));

        Assert.Null(page.ContinuationToken);
        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, item =>
        {
            Assert.Equal(ProgramId, item.Key.ProgramId);
            Assert.Equal(Kind, item.Key.Kind);
            Assert.Equal(item.Key.Id, item.Value.Name);
        });
        var fresh = await store.ReadAsync<SampleDocument>(Key("mine-3"));
        Assert.Equal(fresh!.ETag, page.Items.Single(item => item.Key.Id == "mine-3").ETag);
    }

    [Fact]
    public async Task Query_pages_with_continuation_until_exhausted_without_duplicates_or_gaps()
    {
        var store = await CreateStoreAsync();
        var expected = Enumerable.Range(0, 250).Select(i => $"doc-{i:D3}").ToHashSet(StringComparer.Ordinal);
        foreach (var id in expected)
        {
            await store.CreateAsync(Key(id), SampleDocument.Simple(id));
        }

        await store.CreateAsync(Key("doc-999") with { Kind = OtherKind }, SampleDocument.Simple("noise"));

        var (ids, pageSizes) = await ReadAllPagesAsync(store, new DocumentQuery(ProgramId, Kind, PageSize: 100));

        Assert.Equal([100, 100, 50], pageSizes.Where(size => size > 0));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(expected.SetEquals(ids));
    }

    [Fact]
    public async Task Query_filters_on_equality_of_a_top_level_property()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 12; i++)
        {
            var group = (i % 3) switch { 0 => "alpha", 1 => "beta", _ => null };
            await store.CreateAsync(Key($"member-{i:D2}"), SampleDocument.Simple($"member-{i:D2}", group: group));
        }

        await store.CreateAsync(Key("member-00") with { Kind = OtherKind }, SampleDocument.Simple("noise", group: "alpha"));
        await store.CreateAsync(Key("member-00") with { ProgramId = OtherProgramId }, SampleDocument.Simple("noise", group: "alpha"));

        var alpha = await store.QueryAsync<SampleDocument>(new DocumentQuery(ProgramId, Kind, WhereProperty: "group", WhereEquals: "alpha"));
        var nobody = await store.QueryAsync<SampleDocument>(new DocumentQuery(ProgramId, Kind, WhereProperty: "group", WhereEquals: "gamma"));

        Assert.Null(alpha.ContinuationToken);
        Assert.Equal(
            ["member-00", "member-03", "member-06", "member-09"],
            alpha.Items.Select(item => item.Key.Id).Order(StringComparer.Ordinal));
        Assert.All(alpha.Items, item => Assert.Equal("alpha", item.Value.Group));
        Assert.Empty(nobody.Items);
        Assert.Null(nobody.ContinuationToken);
    }

    [Fact]
    public async Task Query_filter_matches_enums_by_their_camel_case_name()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(Key("draft"), SampleDocument.Simple("draft", stage: SampleStage.Draft));
        await store.CreateAsync(Key("review-1"), SampleDocument.Simple("review-1", stage: SampleStage.InReview));
        await store.CreateAsync(Key("review-2"), SampleDocument.Simple("review-2", stage: SampleStage.InReview));

        var page = await store.QueryAsync<SampleDocument>(
            new DocumentQuery(ProgramId, Kind, WhereProperty: "stage", WhereEquals: "inReview"));

        Assert.Equal(["review-1", "review-2"], page.Items.Select(item => item.Key.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Filtered_query_pages_without_duplicates_or_gaps()
    {
        var store = await CreateStoreAsync();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 60; i++)
        {
            var id = $"item-{i:D2}";
            var matches = i % 2 == 0;
            await store.CreateAsync(Key(id), SampleDocument.Simple(id, group: matches ? "even" : "odd"));
            if (matches)
            {
                expected.Add(id);
            }
        }

        var (ids, pageSizes) = await ReadAllPagesAsync(
            store, new DocumentQuery(ProgramId, Kind, PageSize: 7, WhereProperty: "group", WhereEquals: "even"));

        Assert.All(pageSizes, size => Assert.InRange(size, 0, 7));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(expected.SetEquals(ids));
    }

    [Theory]
    [InlineData("group') = 'x' OR 1=1 --")]
    [InlineData("group.name")]
    [InlineData("$.group")]
    [InlineData("")]
    public async Task Query_refuses_a_property_name_that_is_not_plain_letters_and_digits(string property)
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(Key("any"), SampleDocument.Simple("any", group: "x"));

        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => store.QueryAsync<SampleDocument>(new DocumentQuery(ProgramId, Kind, WhereProperty: property, WhereEquals: "x")));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_key_have_exactly_one_winner()
    {
        var store = await CreateStoreAsync();
        var key = Key("contended");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var attempts = Enumerable.Range(0, ConcurrentWriters).Select(writer => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await store.CreateAsync(key, SampleDocument.Simple($"writer-{writer}", counter: writer));
                return true;
            }
            catch (DocumentConflictException conflict) when (conflict.Key == key)
            {
                return false;
            }
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
        var winner = Array.IndexOf(outcomes, true);
        var read = await store.ReadAsync<SampleDocument>(key);
        Assert.Equal(winner, read!.Value.Counter);
        Assert.Equal($"writer-{winner}", read.Value.Name);
    }

    [Fact]
    public async Task Concurrent_read_modify_replace_loops_lose_no_update()
    {
        var store = await CreateStoreAsync();
        var key = Key("counter");
        await store.CreateAsync(key, SampleDocument.Simple("counter", counter: 0));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, ConcurrentWriters).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (var attempt = 0; attempt < MaxAttemptsPerWriter; attempt++)
            {
                var current = await store.ReadAsync<SampleDocument>(key)
                    ?? throw new InvalidOperationException("The counter document vanished.");

                // Let the other writers run between this read and this write, even on a store whose calls complete synchronously.
                await Task.Yield();
                try
                {
                    await store.ReplaceAsync(key, current.Value with { Counter = current.Value.Counter + 1 }, current.ETag);
                    return;
                }
                catch (DocumentPreconditionFailedException)
                {
                    // Someone else won this round: read again and retry.
                }
            }

            throw new InvalidOperationException($"Gave up after {MaxAttemptsPerWriter} attempts.");
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(writers);

        Assert.Equal(ConcurrentWriters, (await store.ReadAsync<SampleDocument>(key))!.Value.Counter);
    }

    protected DocumentKey Key(string id) => new(ProgramId, Kind, id);

    /// <summary>Follows continuation tokens to the end; returns every id seen and each page's size.</summary>
    protected static async Task<(List<string> Ids, List<int> PageSizes)> ReadAllPagesAsync(IDocumentStore store, DocumentQuery query)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var ids = new List<string>();
        var sizes = new List<int>();
        var next = query;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 10_000, "The continuation never ran out.");
            var page = await store.QueryAsync<SampleDocument>(next);
            Assert.InRange(page.Items.Count, 0, query.PageSize);
            ids.AddRange(page.Items.Select(item => item.Key.Id));
            sizes.Add(page.Items.Count);
            if (page.ContinuationToken is null)
            {
                return (ids, sizes);
            }

            next = query with { ContinuationToken = page.ContinuationToken };
        }
    }

    private static void AssertSameDocument(SampleDocument expected, SampleDocument actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Counter, actual.Counter);
        Assert.Equal(expected.Stage, actual.Stage);
        Assert.Equal(expected.At, actual.At);
        Assert.Equal(expected.At.Offset, actual.At.Offset);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(
            expected.Scores.OrderBy(pair => pair.Key, StringComparer.Ordinal),
            actual.Scores.OrderBy(pair => pair.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Children, actual.Children);
        Assert.Equal(expected.Note, actual.Note);
        Assert.Equal(expected.Best, actual.Best);
        Assert.Equal(expected.ClosedAt, actual.ClosedAt);
        Assert.Equal(expected.ClosedAt?.Offset, actual.ClosedAt?.Offset);
        Assert.Equal(expected.Group, actual.Group);
    }
}
