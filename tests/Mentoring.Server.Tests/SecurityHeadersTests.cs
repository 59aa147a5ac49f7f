using Mentoring.Testing;

namespace Mentoring.Server.Tests;

/// <summary>Every HTML page (token pages, dashboard) tells the browser not to cache it, leak its URL, sniff it, run script or frame it.</summary>
public sealed class SecurityHeadersTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public SecurityHeadersTests() => server = new MentoringServer(folder, new ManualClock(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero)));

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData("/api/decisions/not-a-token")]
    [InlineData("/api/links/not-a-token")]
    [InlineData("/api/surveys/not-a-token")]
    [InlineData("/api/dashboard/sign-in")]
    public async Task An_html_page_sends_no_store_no_referrer_nosniff_and_a_policy_without_script_or_framing(string path)
    {
        var response = await server.Public().GetAsync(path);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
    }
}
