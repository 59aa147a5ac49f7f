using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Azure.Cosmos;

namespace Mentoring.Cosmos.Tests;

[CollectionDefinition(Name)]
public sealed class CosmosServerGroup : ICollectionFixture<CosmosServerFixture>
{
    public const string Name = "cosmos-server";
}

/// <summary>
/// Runs <c>@vercel/cosmosdb-server</c> (an in-memory implementation of the Cosmos DB REST API on Node) for the tests:
/// installs it with <c>npm ci</c> when <c>node_modules</c> is missing, starts it on 127.0.0.1 at a port the OS picks,
/// creates the database and container through <see cref="CosmosDocumentStore.InitializeAsync"/> and stops the server
/// afterwards.
/// </summary>
/// <remarks>
/// The server speaks HTTPS with the self-signed certificate shipped in the package; the test clients trust exactly that
/// certificate (nothing else) and use gateway mode limited to the one endpoint, since there are no replicas to reach.
/// </remarks>
public sealed class CosmosServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // Any base64 string does: the server does not check signatures. Not a secret.
    private static readonly string DummyAccountKey = Convert.ToBase64String(Encoding.ASCII.GetBytes("mentoring-tests-no-real-key"));

    private readonly ConcurrentQueue<string> _serverOutput = new();
    private Process? _server;
    private X509Certificate2? _serverCertificate;

    public CosmosStoreOptions StoreOptions { get; private set; } = new();

    public Uri Endpoint { get; private set; } = new("https://127.0.0.1/");

    public CosmosClient Client { get; private set; } = null!;

    public CosmosDocumentStore Store { get; private set; } = null!;

    /// <summary>The server's log so far, for failure messages.</summary>
    public string ServerOutput => string.Join(Environment.NewLine, _serverOutput);

    public async Task InitializeAsync()
    {
        var directory = ServerDirectory();
        if (!File.Exists(Path.Combine(directory, "node_modules", "@vercel", "cosmosdb-server", "package.json")))
        {
            await RunNpmCiAsync(directory);
        }

        _serverCertificate = X509Certificate2.CreateFromPem(
            await File.ReadAllTextAsync(Path.Combine(directory, "node_modules", "@vercel", "cosmosdb-server", "cert.pem")));
        var port = await StartServerAsync(directory);
        Endpoint = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        await WaitUntilAnsweringAsync();

        StoreOptions = new CosmosStoreOptions
        {
            ConnectionString = ConnectionString,
            DatabaseName = "mentoring-tests",
            ContainerName = "documents",
        };
        Client = CreateClient();
        Store = new CosmosDocumentStore(Client, StoreOptions);
        await Store.InitializeAsync();
    }

    public string ConnectionString => $"AccountEndpoint={Endpoint.AbsoluteUri};AccountKey={DummyAccountKey};";

    /// <summary>Another client on the same server, configured like the store's (for the "someone else wrote it" tests).</summary>
    public CosmosClient CreateClient(CosmosClientOptions? options = null)
    {
        options ??= new CosmosClientOptions();
        options.ConnectionMode = ConnectionMode.Gateway;
        options.LimitToEndpoint = true;
        options.HttpClientFactory = () => new HttpClient(CreateHandler());
        options.CustomHandlers.Add(new EmulatorPointReadHandler());
        return new CosmosClient(ConnectionString, options);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is { } server)
        {
            try
            {
                // start.js exits when its standard input closes; kill only if it does not.
                server.StandardInput.Close();
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await server.WaitForExitAsync(exit.Token);
                }
                catch (OperationCanceledException)
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync();
                }
            }
            finally
            {
                server.Dispose();
            }
        }

        _serverCertificate?.Dispose();
    }

    private SocketsHttpHandler CreateHandler()
    {
        var expected = _serverCertificate ?? throw new InvalidOperationException("The server certificate is not loaded yet.");
        return new SocketsHttpHandler
        {
            SslOptions =
            {
                // Trust the emulator's own self-signed certificate and nothing else.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(expected.RawData),
            },
        };
    }

    private static string ServerDirectory()
    {
        var directory = typeof(CosmosServerFixture).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "CosmosServerDirectory")?.Value
            ?? throw new InvalidOperationException("The test assembly does not say where cosmos-server lives.");
        return File.Exists(Path.Combine(directory, "package-lock.json"))
            ? directory
            : throw new InvalidOperationException($"No package-lock.json in {directory}.");
    }

    private static async Task RunNpmCiAsync(string directory)
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm (is Node.js installed?).");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(NpmTimeout);
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {directory} took longer than {NpmTimeout}.");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm ci in {directory} failed with exit code {npm.ExitCode}:{Environment.NewLine}{await output}{await errors}");
        }
    }

    private async Task<int> StartServerAsync(string directory)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
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
            if (line.Data.StartsWith("LISTENING ", StringComparison.Ordinal)
                && int.TryParse(line.Data.AsSpan("LISTENING ".Length), CultureInfo.InvariantCulture, out var port))
            {
                listening.TrySetResult(port);
            }
        };
        server.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Remember(line.Data);
            }
        };
        server.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The Cosmos test server exited early:{Environment.NewLine}{ServerOutput}"));
        if (!server.Start())
        {
            throw new InvalidOperationException("Could not start node (is Node.js installed?).");
        }

        _server = server;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return await listening.Task.WaitAsync(StartTimeout);
    }

    /// <summary>Polls the account endpoint until the server answers, with a deadline.</summary>
    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient(CreateHandler()) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(Endpoint);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < StartTimeout)
            {
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The Cosmos test server at {Endpoint} did not answer within {StartTimeout}:{Environment.NewLine}{ServerOutput}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private void Remember(string line)
    {
        _serverOutput.Enqueue(line);
        while (_serverOutput.Count > 200 && _serverOutput.TryDequeue(out _))
        {
        }
    }
}
