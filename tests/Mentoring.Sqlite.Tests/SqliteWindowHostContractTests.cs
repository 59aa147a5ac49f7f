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

    protected override Task<IWindowHost> CreateHostAsync(IWindowActivities activities, TimeProvider clock)
    {
        var host = new SqliteWindowHost(Options, activities, clock);
        hosts.Add(host);
        return Task.FromResult<IWindowHost>(host);
    }

    protected override Task<IWindowHost> RestartAsync(IWindowHost host, IWindowActivities activities, TimeProvider clock)
    {
        ((SqliteWindowHost)host).Dispose();
        return CreateHostAsync(activities, clock);
    }

    protected override Task PumpAsync(IWindowHost host) => ((SqliteWindowHost)host).RunDueAsync();

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
