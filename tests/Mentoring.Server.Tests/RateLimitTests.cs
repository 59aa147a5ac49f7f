using System.Net;
using Mentoring.Testing;

namespace Mentoring.Server.Tests;

/// <summary>Mentoring:RateLimit on the real pipeline: public routes per client address, 429 with Retry-After as a problem document.</summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public RateLimitTests()
    {
        server = new MentoringServer(folder, new ManualClock(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero)));
        server.Settings["Mentoring:RateLimit:PermitsPerWindow"] = "3";
        server.Settings["Mentoring:RateLimit:Window"] = "00:10:00";
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task A_client_over_its_limit_on_public_routes_gets_429_with_retry_after_and_admin_routes_stay_open()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        var client = server.Public();
        for (var i = 0; i < 2; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.PostAsync("/api/programs/spring/registrations", Http.Json("{}"))).StatusCode);
        }
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/decisions/not-a-token")).StatusCode);

        var refused = await client.PostAsync("/api/programs/spring/webhooks/typeform", Http.Json("{}"));

        var problem = await refused.Problem(429);
        Assert.Equal("urn:mentoring:problem:rate-limited", problem["type"]!.GetValue<string>());
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/links/not-a-token")).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Admin().GetAsync("/api/programs/spring")).StatusCode);
        }
    }

    [Fact]
    public void Only_the_public_routes_are_limited()
    {
        Assert.True(PublicRateLimit.IsPublic("/api/programs/spring/registrations"));
        Assert.True(PublicRateLimit.IsPublic("/api/programs/spring/webhooks/tally"));
        Assert.True(PublicRateLimit.IsPublic("/api/decisions/abc"));
        Assert.True(PublicRateLimit.IsPublic("/api/surveys/abc"));
        Assert.True(PublicRateLimit.IsPublic("/api/mail/events"));
        Assert.False(PublicRateLimit.IsPublic("/api/programs/spring"));
        Assert.False(PublicRateLimit.IsPublic("/api/programs/spring/participants"));
        Assert.False(PublicRateLimit.IsPublic("/api/dashboard"));
    }
}
