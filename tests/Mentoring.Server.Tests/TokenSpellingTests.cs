using System.Net;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Tests.Links;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests;

/// <summary>A link token has one spelling: every other one (padding, '+' and '/', changed trailing bits) is refused with 403.</summary>
public sealed class TokenSpellingTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new();
    private readonly MentoringServer server;

    public TokenSpellingTests() => server = new MentoringServer(folder, clock);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task Only_the_signed_spelling_of_a_participant_link_opens_its_page()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        var signup = await server.Public().PostAsync("/api/programs/spring/registrations",
            Http.Json("""{ "email": "ana@example.com", "name": "Ana", "consent": true, "answers": { "department": "Sales" } }"""));
        var participantId = (await signup.Body())["id"]!.GetValue<string>();
        var url = server.Services.GetRequiredService<ParticipantLinks>().Unsubscribe("spring", participantId, clock.GetUtcNow());
        var token = url.AbsolutePath[ParticipantLinks.Path.Length..];

        Assert.Equal(HttpStatusCode.OK, (await server.Public().GetAsync(ParticipantLinks.Path + token)).StatusCode);
        var respellings = LinkTokenSpellingTests.Respellings(token).ToList();
        Assert.NotEmpty(respellings);
        foreach (var (name, other) in respellings)
        {
            var get = await server.Public().GetAsync(ParticipantLinks.Path + Uri.EscapeDataString(other));
            Assert.True(get.StatusCode == HttpStatusCode.Forbidden, $"GET {name}: {(int)get.StatusCode}");
            var post = await server.Public().PostAsync(ParticipantLinks.Path + Uri.EscapeDataString(other), new FormUrlEncodedContent([]));
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"POST {name}: {(int)post.StatusCode}");
        }

        // None of them unsubscribed Ana.
        var participant = await (await server.Admin().GetAsync($"/api/programs/spring/participants/{participantId}")).Body();
        Assert.Null(participant["unsubscribedAt"]);
    }
}
