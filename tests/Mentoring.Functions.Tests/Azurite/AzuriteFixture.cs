using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Mentoring.Functions.Tests.Azurite;

[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}

/// <summary>
/// Runs Azurite's queue service (npm package <c>azurite</c>, pinned in <c>azurite/package-lock.json</c>) for the tests:
/// installs it with <c>npm ci</c> when <c>node_modules</c> is missing, starts it in memory on 127.0.0.1 at a port the OS
/// picks, and kills it afterwards.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    // Azurite's one built-in account and its published development key (the same for every Azurite): not a secret.
    private const string DevelopmentAccount = "devstoreaccount1";
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);

    // Generous: on a loaded 2-core machine loading Azurite's modules alone can take half a minute.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _server;

    /// <summary>A connection string to the running Azurite, as <c>AzureWebJobsStorage</c> holds locally.</summary>
    public string ConnectionString { get; private set; } = "";

    public string Output => string.Join(Environment.NewLine, _output);

    public async Task InitializeAsync()
    {
        var directory = AzuriteDirectory();
        if (!File.Exists(Path.Combine(directory, "node_modules", "azurite", "package.json")))
        {
            await RunAsync("npm", directory, NpmTimeout, "ci", "--no-audit", "--no-fund");
        }

        var port = await StartAsync(directory);
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccount};AccountKey={DevelopmentKey};" +
            $"QueueEndpoint=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/{DevelopmentAccount};";
    }

    public async Task DisposeAsync()
    {
        if (_server is not { } server)
        {
            return;
        }

        try
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true); // in memory: nothing to flush
                await server.WaitForExitAsync();
            }
        }
        finally
        {
            server.Dispose();
        }
    }

    private async Task<int> StartAsync(string directory)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("start.js");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new Process { StartInfo = start, EnableRaisingEvents = true };
        server.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            Remember(line.Data);
            if (ListeningLine().Match(line.Data) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
            }
        };
        server.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Remember(line.Data);
            }
        };
        server.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"Azurite exited early:{Environment.NewLine}{Output}"));
        if (!server.Start())
        {
            throw new InvalidOperationException("Could not start node (is Node.js installed?).");
        }

        _server = server;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            return await listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Azurite did not listen within {StartTimeout}:{Environment.NewLine}{Output}");
        }
    }

    private static async Task RunAsync(string program, string directory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} in {directory} took longer than {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} in {directory} failed ({process.ExitCode}):{Environment.NewLine}{await output}{await errors}");
        }
    }

    private static string AzuriteDirectory()
    {
        var directory = typeof(AzuriteFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "AzuriteDirectory")?.Value
            ?? throw new InvalidOperationException("The test assembly does not say where the azurite folder is.");
        return File.Exists(Path.Combine(directory, "package-lock.json"))
            ? directory
            : throw new InvalidOperationException($"No package-lock.json in {directory}.");
    }

    private void Remember(string line)
    {
        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    [GeneratedRegex(@"successfully listens on https?://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
