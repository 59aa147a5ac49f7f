using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Functions.Registration;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Mentoring.Functions.Tests.Http;

/// <summary>
/// The Functions app's public signup and webhook triggers, called as the ASP.NET Core integration calls them, over a real
/// SQLite store: an unknown program id is answered exactly as a closed program (signups) or a wrong signature (webhooks),
/// as on the embedded server, so neither host lets anyone probe which program ids exist.
/// </summary>
public sealed class ProgramIdProbingTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "whsec-functions-0123456789";
    private const string Ana = """{ "email": "ana@example.com", "name": "Ana Silva", "consent": true }""";
    private readonly TempFolder folder = new();
    private readonly SqliteDocumentStore store;
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly RegistrationFunctions functions;

    public ProgramIdProbingTests()
    {
        store = new SqliteDocumentStore(new SqliteStoreOptions(folder.File("probing.db")));
        var programs = new ProgramCatalog(store, clock);
        var registry = new ParticipantRegistry(store, programs, clock);
        functions = new RegistrationFunctions(registry, new WebhookIntake(store, programs, registry));
    }

    public async Task InitializeAsync() =>
        await new ProgramCatalog(store, clock).CreateAsync(new ProgramDefinition
        {
            Id = "closed",
            Name = "Closed program",
            Kind = ProgramKind.Cohort,
            AdminEmails = ["hr@example.com"],
            WebhookSecrets = [Secret],
            Registration = new RegistrationWindow { OpensAt = clock.GetUtcNow().AddDays(-30), ClosesAt = clock.GetUtcNow().AddDays(-1) },
        });

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task A_signup_to_an_unknown_program_gets_the_same_409_as_one_to_a_closed_program()
    {
        var closed = await Call(r => functions.RegisterAsync(r, "closed", Context()), Ana);
        var unknown = await Call(r => functions.RegisterAsync(r, "nope", Context()), Ana);

        Assert.Equal(409, unknown.Status);
        Assert.Equal(closed, unknown);
        Assert.Contains(ParticipantRegistry.NotOpen, unknown.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_to_an_unknown_program_gets_the_same_401_as_a_wrong_signature()
    {
        const string Body = """{ "submissionId": "s1", "fields": { "email": "ana@example.com" } }""";

        var wrongSignature = await Call(r => functions.ReceiveWebhookAsync(r, "closed", "generic", Context()), Body, ("X-Mentoring-Signature", Sign(Body, "not-the-secret")));
        var unknownProgram = await Call(r => functions.ReceiveWebhookAsync(r, "nope", "generic", Context()), Body, ("X-Mentoring-Signature", Sign(Body, Secret)));

        Assert.Equal(401, unknownProgram.Status);
        Assert.Equal(wrongSignature, unknownProgram);
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static FunctionContext Context() => new Mock<FunctionContext>().Object;

    private static async Task<(int Status, string Body)> Call(Func<HttpRequest, Task<IActionResult>> trigger, string json, params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        var bytes = Encoding.UTF8.GetBytes(json);
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = bytes.Length;
        http.Request.Body = new MemoryStream(bytes);
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }
        var response = new MemoryStream();
        http.Response.Body = response;

        var result = await trigger(http.Request);
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        Assert.Equal("application/problem+json", http.Response.ContentType);
        return (http.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()));
    }
}
