using Microsoft.Playwright;

namespace Mentoring.Server.Tests.Browser;

/// <summary>
/// Debian's Chromium (installed by <c>./dev test</c>) driven by Playwright, which never downloads a browser here. The flags
/// keep it from calling Google's services, which this machine's closed network refuses.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private const string ExecutablePath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new HeadlessChromium(playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
