using System.Reflection;
using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Cosmos;
using Mentoring.Cosmos.Tests;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mentoring.Functions.Tests.Cosmos;

/// <summary>
/// The Functions app's own Cosmos client, built by its composition root (<see cref="FunctionsHost.AddFunctionsHost"/> and
/// <see cref="FunctionsHost.InitializeFunctionsHostAsync"/>, what Program.cs runs at start) from the settings a laptop
/// would use, against the Cosmos-protocol server the Cosmos adapter's tests run on.
/// </summary>
[Collection(CosmosServerGroup.Name)]
public sealed class CosmosCompositionRootTests(CosmosServerFixture server)
{
    private const string Program = """
        { "id": "spring-buddies", "name": "Spring buddies", "kind": "cohort", "adminEmails": ["hr@example.com"], "timeZone": "Europe/Berlin",
          "questionnaire": { "questions": [ { "key": "department", "type": "singleChoice", "options": ["Sales", "Engineering"], "role": "different", "weight": 10 } ] } }
        """;

    [Fact]
    public async Task The_app_starts_on_the_emulator_settings_creates_its_container_and_stores_a_program()
    {
        var database = "app-" + Guid.NewGuid().ToString("n")[..12];
        using var host = Host(EmulatorSettings(database));

        await host.InitializeFunctionsHostAsync(); // CreateIfMissing: the database and container
        await host.StartAsync();
        var programs = host.Services.GetRequiredService<ProgramCatalog>();
        var created = await programs.CreateAsync(JsonSerializer.Deserialize<ProgramDefinition>(Program, MentoringJson.Options)!);
        var read = await programs.GetAsync("spring-buddies");
        await host.StopAsync();

        Assert.IsType<CosmosDocumentStore>(host.Services.GetRequiredService<IDocumentStore>());
        Assert.Equal(ConnectionMode.Gateway, host.Services.GetRequiredService<CosmosClient>().ClientOptions.ConnectionMode);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal("Spring buddies", read.Value.Name);
        // Seen by another client: the item is in the container the app created, partitioned by program.
        var container = await server.Client.GetContainer(database, "documents").ReadContainerAsync();
        Assert.Equal("/programId", container.Resource.PartitionKeyPath);
    }

    [Fact]
    public async Task With_the_sdk_defaults_the_same_server_is_not_reached_which_is_why_emulators_need_the_settings()
    {
        var settings = EmulatorSettings("defaults-" + Guid.NewGuid().ToString("n")[..12]);
        settings.Remove("Mentoring:Cosmos:ConnectionMode");
        settings.Remove("Mentoring:Cosmos:EndpointDiscovery");
        settings.Remove("Mentoring:Cosmos:EmulatorCertificatePath");
        using var host = Host(settings);

        // Direct mode, and the server's self-signed certificate is not trusted.
        await Assert.ThrowsAnyAsync<Exception>(() => host.InitializeFunctionsHostAsync().WaitAsync(TimeSpan.FromMinutes(2)));
    }

    [Theory]
    [InlineData("ConnectionMode", "Tcp", "Mentoring:Cosmos:ConnectionMode")]
    [InlineData("EndpointDiscovery", "sometimes", "Mentoring:Cosmos:EndpointDiscovery")]
    public void A_wrong_transport_setting_stops_the_app_at_start_naming_it(string name, string value, string named)
    {
        var settings = EmulatorSettings("unused");
        settings[$"Mentoring:Cosmos:{name}"] = value;

        var failure = Assert.Throws<InvalidOperationException>(() => Host(settings));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_emulator_certificate_in_direct_mode_is_refused_at_start()
    {
        var settings = EmulatorSettings("unused");
        settings["Mentoring:Cosmos:ConnectionMode"] = "Direct";

        var failure = Assert.Throws<InvalidOperationException>(() => Host(settings));

        Assert.Contains("EmulatorCertificatePath", failure.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> EmulatorSettings(string database) => new(StringComparer.Ordinal)
    {
        ["Mentoring:Cosmos:ConnectionString"] = server.ConnectionString,
        ["Mentoring:Cosmos:DatabaseName"] = database,
        ["Mentoring:Cosmos:CreateIfMissing"] = "true",
        ["Mentoring:Cosmos:ConnectionMode"] = "Gateway",
        ["Mentoring:Cosmos:EndpointDiscovery"] = "false",
        ["Mentoring:Cosmos:EmulatorCertificatePath"] = CertificatePath(),
        ["Mentoring:PublicBaseUrl"] = "http://localhost:7071",
        ["Mentoring:SigningKeys"] = "k1:" + Convert.ToBase64String(new byte[32]),
        ["Mentoring:Work:QueueName"] = "mentoring-work",
    };

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var host = new HostBuilder()
            .ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings))
            .ConfigureServices((context, services) => services.AddFunctionsHost(context.Configuration))
            .Build();
        // The one bug of the Node server (a missing item's point read answers 500, not 404) is worked around in the client
        // pipeline exactly as the Cosmos adapter's own tests do; the real service and emulator need no such handler.
        host.Services.GetRequiredService<CosmosClientOptions>().CustomHandlers.Add(new EmulatorPointReadHandler());
        return host;
    }

    private static string CertificatePath() =>
        Path.Combine(typeof(CosmosCompositionRootTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CosmosServerDirectory").Value!, "node_modules", "@vercel", "cosmosdb-server", "cert.pem");
}
