using Mentoring.Contracts;
using Mentoring.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace Mentoring.Sqlite.Tests;

/// <summary>What only the SQLite adapter promises: the file on disk, restarts, WAL, schema versioning.</summary>
public sealed class SqliteDocumentStoreTests : IDisposable
{
    private const string Kind = "sample";
    private readonly TempDatabaseFolder _folder = new();
    private readonly string _programId = "program-" + Guid.NewGuid().ToString("N");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Folder_and_file_are_created_on_first_use()
    {
        var store = _folder.OpenStore();
        Assert.False(Directory.Exists(_folder.Root));

        Assert.Null(await store.ReadAsync<SampleDocument>(Key("anything")));

        Assert.True(File.Exists(_folder.DatabasePath));
    }

    [Fact]
    public async Task Documents_survive_disposing_and_reopening_the_store()
    {
        var first = _folder.OpenStore();
        var created = await first.CreateAsync(Key("durable"), SampleDocument.Simple("durable", counter: 3));
        first.Dispose();

        var second = _folder.OpenStore();
        var read = await second.ReadAsync<SampleDocument>(Key("durable"));

        Assert.NotNull(read);
        Assert.Equal("durable", read.Value.Name);
        Assert.Equal(3, read.Value.Counter);
        Assert.Equal(created.ETag, read.ETag);
        await second.ReplaceAsync(Key("durable"), SampleDocument.Simple("durable v2"), read.ETag);
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_with_schema_version_one()
    {
        await _folder.OpenStore().ReadAsync<SampleDocument>(Key("anything"));

        using var connection = OpenRawConnection();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task A_file_from_a_newer_schema_is_refused()
    {
        await _folder.OpenStore().ReadAsync<SampleDocument>(Key("anything"));
        using (var connection = OpenRawConnection())
        {
            Scalar(connection, "PRAGMA user_version = 99;");
        }

        var newer = _folder.OpenStore();

        await Assert.ThrowsAsync<InvalidOperationException>(() => newer.ReadAsync<SampleDocument>(Key("anything")));
    }

    [Fact]
    public async Task Etags_are_quoted_like_http_entity_tags()
    {
        var created = await _folder.OpenStore().CreateAsync(Key("tagged"), SampleDocument.Simple("tagged"));

        Assert.Matches("^\"[0-9a-f]{32}\"$", created.ETag);
    }

    [Fact]
    public async Task Query_orders_by_id_and_the_last_full_page_carries_no_token()
    {
        var store = _folder.OpenStore();
        var ids = Enumerable.Range(0, 200).Select(i => $"id-{(i * 37) % 200:D3}").ToList();
        foreach (var id in ids)
        {
            await store.CreateAsync(Key(id), SampleDocument.Simple(id));
        }

        var first = await store.QueryAsync<SampleDocument>(new DocumentQuery(_programId, Kind, PageSize: 100));
        var second = await store.QueryAsync<SampleDocument>(
            new DocumentQuery(_programId, Kind, PageSize: 100, ContinuationToken: first.ContinuationToken));

        Assert.NotNull(first.ContinuationToken);
        Assert.Null(second.ContinuationToken);
        Assert.Equal(
            ids.Order(StringComparer.Ordinal),
            first.Items.Concat(second.Items).Select(item => item.Key.Id));
    }

    [Fact]
    public async Task A_continuation_token_not_issued_by_the_store_is_refused()
    {
        var store = _folder.OpenStore();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryAsync<SampleDocument>(
            new DocumentQuery(_programId, Kind, ContinuationToken: "not a token!")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryAsync<SampleDocument>(
            new DocumentQuery(_programId, Kind, ContinuationToken: "aGVsbG8")));
    }

    [Fact]
    public async Task A_filter_property_without_a_value_is_refused()
    {
        var store = _folder.OpenStore();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.QueryAsync<SampleDocument>(
            new DocumentQuery(_programId, Kind, WhereProperty: "group")));
    }

    [Fact]
    public async Task Two_stores_on_one_file_race_like_two_processes_without_losing_updates()
    {
        SqliteDocumentStore[] stores = [_folder.OpenStore(), _folder.OpenStore()];
        var key = Key("shared-counter");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var creators = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await stores[i % 2].CreateAsync(key, SampleDocument.Simple("counter", counter: 0));
                return true;
            }
            catch (DocumentConflictException)
            {
                return false;
            }
        })).ToArray();
        start.SetResult();
        Assert.Equal(1, (await Task.WhenAll(creators)).Count(won => won));

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var incrementers = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await go.Task;
            var store = stores[i % 2];
            for (var attempt = 0; attempt < 10_000; attempt++)
            {
                var current = await store.ReadAsync<SampleDocument>(key)
                    ?? throw new InvalidOperationException("The counter document vanished.");
                await Task.Yield();
                try
                {
                    await store.ReplaceAsync(key, current.Value with { Counter = current.Value.Counter + 1 }, current.ETag);
                    return;
                }
                catch (DocumentPreconditionFailedException)
                {
                }
            }

            throw new InvalidOperationException("Gave up.");
        })).ToArray();
        go.SetResult();
        await Task.WhenAll(incrementers);

        Assert.Equal(40, (await stores[0].ReadAsync<SampleDocument>(key))!.Value.Counter);
    }

    [Fact]
    public async Task Several_stores_initializing_one_new_file_at_once_all_succeed()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => _folder.OpenStore()).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = stores.Select((store, i) => Task.Run(async () =>
        {
            await start.Task;
            await store.UpsertAsync(Key($"boot-{i}"), SampleDocument.Simple($"boot-{i}"));
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(writers);

        var page = await stores[0].QueryAsync<SampleDocument>(new DocumentQuery(_programId, Kind));
        Assert.Equal(stores.Length, page.Items.Count);
    }

    [Fact]
    public async Task A_disposed_store_refuses_work()
    {
        var store = _folder.OpenStore();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadAsync<SampleDocument>(Key("anything")));
    }

    private DocumentKey Key(string id) => new(_programId, Kind, id);

    private SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _folder.DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
