using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Mail;
using Mentoring.Sqlite.Windows;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Windows;

/// <summary>Evergreen programs: the next round opens by itself and matches newcomers and people who asked for a new partner.</summary>
public sealed partial class EvergreenRoundTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public EvergreenRoundTests() => server = new MentoringServer(folder, clock);

    public async Task InitializeAsync()
    {
        var program = """
            { "id": "coffee", "name": "Coffee roulette", "kind": "evergreen", "adminEmails": ["hr@example.com"],
              "windows": { "evergreenRoundDays": 28 } }
            """;
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(program))).StatusCode);
        foreach (var name in new[] { "ana", "bo", "cy", "di" })
        {
            await Register(name);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private async Task<string> Register(string name)
    {
        var body = new JsonObject { ["email"] = $"{name}@example.com", ["name"] = name, ["consent"] = true };
        var response = await server.Public().PostAsync("/api/programs/coffee/registrations", Http.Json(body.ToJsonString()));
        return (await response.Body())["id"]!.GetValue<string>();
    }

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    private async Task ApproveNewestDraft()
    {
        var mails = await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "coffee", Category = MailCategories.Draft });
        var newest = mails.OrderByDescending(m => m.QueuedAt).First();
        var approve = DecisionLink().Match(newest.Message.HtmlBody).Value;
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(approve, new FormUrlEncodedContent([]))).StatusCode);
    }

    [Fact]
    public async Task The_next_round_pairs_newcomers_and_rematch_requests_and_leaves_active_pairs_alone()
    {
        await server.Admin().PostAsync("/api/programs/coffee/windows", Http.Json("{}"));
        await ApproveNewestDraft();
        var windows = await (await server.Admin().GetAsync("/api/programs/coffee/windows")).Body();
        Assert.Equal(2, windows.AsArray().Count); // the first round completed and opened the next one
        var next = windows.AsArray().Single(w => w!["phase"]!.GetValue<string>() == "open")!;

        var matches = (await (await server.Admin().GetAsync("/api/programs/coffee/matches?status=active")).Body())["items"]!.AsArray();
        var first = matches[0]!["match"]!;
        var leaving = first["members"]![0]!["participantId"]!.GetValue<string>();
        var partner = first["members"]![1]!["participantId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await server.Admin().PostAsync($"/api/programs/coffee/participants/{leaving}/rematch", null)).StatusCode);
        var newcomers = new[] { await Register("ed"), await Register("fay") };

        clock.Set(next["closesAt"]!.GetValue<DateTimeOffset>());
        await server.Services.GetRequiredService<SqliteWindowHost>().RunDueAsync();

        var round = await (await server.Admin().GetAsync($"/api/programs/coffee/windows/{next["windowId"]}")).Body();
        var drafted = round["currentDraft"]!["draft"]!["pairs"]!.AsArray()
            .SelectMany(p => new[] { p!["a"]!["id"]!.GetValue<string>(), p["b"]!["id"]!.GetValue<string>() }).ToList();
        Assert.Equal(new[] { leaving, partner }.Concat(newcomers).Order(), drafted.Order());
        Assert.DoesNotContain(round["currentDraft"]!["draft"]!["pairs"]!.AsArray(), p =>
            new[] { p!["a"]!["id"]!.GetValue<string>(), p["b"]!["id"]!.GetValue<string>() }.Order().SequenceEqual(new[] { leaving, partner }.Order()));
    }
}
