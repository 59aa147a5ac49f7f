using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mentoring.Contracts;
using Mentoring.Core.Persistence;
using Microsoft.Azure.Cosmos;

namespace Mentoring.Cosmos.Tests;

/// <summary>What the contract cannot see: the items on the wire, other clients, ids Cosmos would refuse, tokens, policy.</summary>
[Collection(CosmosServerGroup.Name)]
public sealed class CosmosDocumentStoreTests(CosmosServerFixture server) : IDisposable
{
    private const string Kind = "sample";
    private readonly string _programId = "program-" + Guid.NewGuid().ToString("N");
    private readonly CosmosClient _otherClient = server.CreateClient();

    private CosmosDocumentStore Store => server.Store;

    private Container OtherContainer => _otherClient.GetContainer(server.StoreOptions.DatabaseName, server.StoreOptions.ContainerName);

    public void Dispose() => _otherClient.Dispose();

    [Fact]
    public async Task A_document_is_stored_as_one_item_with_the_body_in_the_mentoring_json_convention()
    {
        var key = new DocumentKey(_programId, Kind, "wire");
        var value = new SampleDocument(
            Name: "Grace",
            Counter: 7,
            Stage: SampleStage.InReview,
            At: new DateTimeOffset(2026, 5, 17, 14, 3, 9, 123, TimeSpan.FromHours(2)),
            Tags: ["a"],
            Scores: new Dictionary<string, int> { ["CSharp"] = 5 },
            Children: [],
            Note: null,
            Best: null,
            ClosedAt: null,
            Group: "g");
        var created = await Store.CreateAsync(key, value);

        using var response = await OtherContainer.ReadItemStreamAsync(CosmosItemId.Encode(Kind, "wire"), new PartitionKey(_programId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = (await JsonNode.ParseAsync(response.Content))!.AsObject();

        Assert.Equal("sample.wire", (string?)item["id"]);
        Assert.Equal(_programId, (string?)item["programId"]);
        Assert.Equal(Kind, (string?)item["kind"]);
        Assert.Equal("wire", (string?)item["documentId"]);
        Assert.Equal(created.ETag, (string?)item["_etag"]);
        var body = item["body"]!.AsObject();
        // Exactly what MentoringJson writes: camelCase names, enum names, the offset kept, nulls left out.
        Assert.Equal("inReview", (string?)body["stage"]);
        Assert.Equal("2026-05-17T14:03:09.123+02:00", (string?)body["at"]);
        Assert.Equal(5, (int?)body["scores"]!["CSharp"]);
        Assert.False(body.ContainsKey("note"));
        Assert.False(body.ContainsKey("closedAt"));
        Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(value, Core.Common.MentoringJson.Options), body), body.ToJsonString());
    }

    [Fact]
    public async Task An_item_written_by_another_client_in_the_same_shape_reads_back_and_queries()
    {
        var item = $$"""
            {
              "id": "sample.from-elsewhere",
              "programId": "{{_programId}}",
              "kind": "sample",
              "documentId": "from-elsewhere",
              "body": {
                "name": "from-elsewhere", "counter": 3, "stage": "inReview", "at": "2026-01-02T03:04:05.678-05:00",
                "tags": [], "scores": {}, "children": [], "group": "outside"
              }
            }
            """;
        using (var created = await OtherContainer.CreateItemStreamAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(item)), new PartitionKey(_programId)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var read = await Store.ReadAsync<SampleDocument>(new DocumentKey(_programId, Kind, "from-elsewhere"));
        Assert.NotNull(read);
        Assert.Equal(SampleStage.InReview, read.Value.Stage);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(-5)), read.Value.At);
        Assert.Equal(TimeSpan.FromHours(-5), read.Value.At.Offset);

        var page = await Store.QueryAsync<SampleDocument>(new DocumentQuery(_programId, Kind, WhereProperty: "group", WhereEquals: "outside"));
        Assert.Equal("from-elsewhere", Assert.Single(page.Items).Key.Id);
        Assert.Equal(read.ETag, page.Items[0].ETag);
    }

    [Fact]
    public async Task Creating_a_key_that_another_client_created_first_is_a_conflict()
    {
        var key = new DocumentKey(_programId, Kind, "raced");
        var theirs = new JsonObject
        {
            ["id"] = CosmosItemId.Encode(key.Kind, key.Id),
            ["programId"] = key.ProgramId,
            ["kind"] = key.Kind,
            ["documentId"] = key.Id,
            ["body"] = JsonSerializer.SerializeToNode(SampleDocument.Simple("theirs"), Core.Common.MentoringJson.Options),
        };
        using (var created = await OtherContainer.CreateItemStreamAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(theirs.ToJsonString())), new PartitionKey(key.ProgramId)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var conflict = await Assert.ThrowsAsync<DocumentConflictException>(() => Store.CreateAsync(key, SampleDocument.Simple("mine")));

        Assert.Equal(key, conflict.Key);
        Assert.Equal("theirs", (await Store.ReadAsync<SampleDocument>(key))!.Value.Name);
    }

    [Fact]
    public async Task A_replace_by_another_client_invalidates_the_etag_this_store_handed_out()
    {
        var key = new DocumentKey(_programId, Kind, "shared");
        var mine = await Store.CreateAsync(key, SampleDocument.Simple("v1"));
        var itemId = CosmosItemId.Encode(key.Kind, key.Id);

        using (var current = await OtherContainer.ReadItemStreamAsync(itemId, new PartitionKey(key.ProgramId)))
        {
            var item = (await JsonNode.ParseAsync(current.Content))!.AsObject();
            item["body"]!["name"] = "theirs";
            using var replaced = await OtherContainer.ReplaceItemStreamAsync(
                new MemoryStream(Encoding.UTF8.GetBytes(item.ToJsonString())), itemId, new PartitionKey(key.ProgramId),
                new ItemRequestOptions { IfMatchEtag = mine.ETag });
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(() => Store.ReplaceAsync(key, SampleDocument.Simple("mine"), mine.ETag));
        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(() => Store.DeleteAsync(key, mine.ETag));
        Assert.Equal("theirs", (await Store.ReadAsync<SampleDocument>(key))!.Value.Name);
    }

    [Theory]
    [InlineData("with/slash")]
    [InlineData("back\\slash")]
    [InlineData("what?")]
    [InlineData("#hash")]
    [InlineData("per%cent and space")]
    [InlineData("dots.and~tildes:colons")]
    [InlineData("ünïcødé-😀")]
    public async Task Ids_that_cosmos_refuses_as_item_ids_work_through_every_operation(string id)
    {
        var key = new DocumentKey(_programId, "odd/kind?", id);

        var created = await Store.CreateAsync(key, SampleDocument.Simple(id, group: "odd"));
        var read = await Store.ReadAsync<SampleDocument>(key);
        var replaced = await Store.ReplaceAsync(key, SampleDocument.Simple(id, counter: 2, group: "odd"), created.ETag);
        var page = await Store.QueryAsync<SampleDocument>(new DocumentQuery(_programId, key.Kind, WhereProperty: "group", WhereEquals: "odd"));

        Assert.Equal(id, read!.Value.Name);
        Assert.Equal(key, Assert.Single(page.Items).Key);
        Assert.Equal(replaced.ETag, page.Items[0].ETag);
        Assert.True(await Store.DeleteAsync(key, replaced.ETag));
        Assert.Null(await Store.ReadAsync<SampleDocument>(key));
    }

    [Fact]
    public async Task Continuation_tokens_are_refused_when_forged_or_from_another_query()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.CreateAsync(new DocumentKey(_programId, Kind, $"doc-{i}"), SampleDocument.Simple($"doc-{i}", group: "x"));
        }

        var first = await Store.QueryAsync<SampleDocument>(new DocumentQuery(_programId, Kind, PageSize: 1));
        Assert.NotNull(first.ContinuationToken);

        string[] forged = ["not a token", "", "YWJj", first.ContinuationToken + "x"];
        foreach (var token in forged)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(
                () => Store.QueryAsync<SampleDocument>(new DocumentQuery(_programId, Kind, PageSize: 1, ContinuationToken: token)));
        }

        DocumentQuery[] otherQueries =
        [
            new(_programId, "other", PageSize: 1, ContinuationToken: first.ContinuationToken),
            new("program-elsewhere", Kind, PageSize: 1, ContinuationToken: first.ContinuationToken),
            new(_programId, Kind, PageSize: 1, ContinuationToken: first.ContinuationToken, WhereProperty: "group", WhereEquals: "x"),
        ];
        foreach (var query in otherQueries)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync<SampleDocument>(query));
        }

        // The genuine token still pages on.
        var second = await Store.QueryAsync<SampleDocument>(new DocumentQuery(_programId, Kind, PageSize: 1, ContinuationToken: first.ContinuationToken));
        Assert.Single(second.Items);
        Assert.NotEqual(first.Items[0].Key, second.Items[0].Key);
    }

    [Fact]
    public async Task The_container_is_partitioned_by_program_and_indexes_only_what_queries_filter_on()
    {
        var container = await OtherContainer.ReadContainerAsync();

        Assert.Equal("/programId", container.Resource.PartitionKeyPath);
        var policy = container.Resource.IndexingPolicy;
        Assert.Equal(["/programId/?", "/kind/?", "/body/status/?"], policy.IncludedPaths.Select(path => path.Path));
        Assert.Equal(["/*"], policy.ExcludedPaths.Select(path => path.Path).Where(path => path == "/*"));
    }

    [Fact]
    public async Task Initializing_again_keeps_the_container_and_its_documents()
    {
        var key = new DocumentKey(_programId, Kind, "survivor");
        await Store.CreateAsync(key, SampleDocument.Simple("survivor"));

        await Store.InitializeAsync();
        await new CosmosDocumentStore(_otherClient, server.StoreOptions).InitializeAsync();

        Assert.Equal("survivor", (await Store.ReadAsync<SampleDocument>(key))!.Value.Name);
    }

    [Fact]
    public async Task Keys_whose_item_id_would_be_too_long_are_refused_before_any_request()
    {
        var key = new DocumentKey(_programId, Kind, new string('ü', 200));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateAsync(key, SampleDocument.Simple("long")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadAsync<SampleDocument>(key));
    }
}
