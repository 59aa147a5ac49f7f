using System.Net;
using Mentoring.Testing;

namespace Mentoring.Server.Tests;

/// <summary>In Development (./dev serve) only local host names are served, so a page that DNS-rebinds to localhost cannot read it.</summary>
public sealed class AllowedHostsTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public AllowedHostsTests() => server = new MentoringServer(folder, new ManualClock(), outbox: true);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:7071", HttpStatusCode.OK)]
    [InlineData("[::1]:7071", HttpStatusCode.OK)]
    [InlineData("attacker.example", HttpStatusCode.BadRequest)]
    [InlineData("localhost.attacker.example", HttpStatusCode.BadRequest)]
    public async Task The_outbox_answers_only_to_local_host_names_in_development(string host, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/outbox");
        request.Headers.Host = host;

        var response = await server.Public().SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }
}
