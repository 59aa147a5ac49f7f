using Mentoring.Contracts;
using Mentoring.Core.Windows;
using Mentoring.Sqlite;
using Mentoring.Sqlite.Windows;

namespace Mentoring.Sqlite.Tests;

public sealed class SqliteWindowHostContractTests : WindowHostContract, IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "mentoring-window-tests", Guid.NewGuid().ToString("n"));
    private readonly List<SqliteWindowHost> hosts = [];

    private SqliteStoreOptions Options => new(Path.Combine(folder, "windows.db"));

    protected override Task<IWindowHost> CreateHostAsync(IWindowActivities activities, SuiteClock clock)
    {
        var host = new SqliteWindowHost(Options, activities, clock);
        hosts.Add(host);
        return Task.FromResult<IWindowHost>(host);
    }

    protected override Task<IWindowHost> RestartAsync(IWindowHost host, IWindowActivities activities, SuiteClock clock, TimeSpan downtime)
    {
        ((SqliteWindowHost)host).Dispose();
        clock.Advance(downtime);
        return CreateHostAsync(activities, clock);
    }

    protected override Task PassAsync(IWindowHost host, SuiteClock clock, TimeSpan by)
    {
        clock.Advance(by);
        return ((SqliteWindowHost)host).RunDueAsync();
    }

    /// <summary>The runner works only when asked: run what is due, then read once (the suite asserts what it expected).</summary>
    protected override async Task<T> SettledAsync<T>(IWindowHost host, Func<Task<T>> read, Func<T, bool> until)
    {
        await ((SqliteWindowHost)host).RunDueAsync();
        return await read();
    }

    public void Dispose()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
