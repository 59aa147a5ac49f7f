using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Mail;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Dashboard;

/// <summary>What the dashboard tests do as a browser would: open the link from a mail, post forms with their token.</summary>
public static partial class DashboardWeb
{
    [GeneratedRegex("/api/dashboard/sign-in/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex SignInLink();

    [GeneratedRegex("name=\"__form\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    /// <summary>A client that keeps cookies and does not follow redirects, so a test sees each step.</summary>
    public static HttpClient Browser(this MentoringServer server) =>
        server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The dashboard link in the newest draft mail to <paramref name="admin"/>.</summary>
    public static async Task<string> DashboardLinkFor(this MentoringServer server, string admin, string programId = "spring")
    {
        var mails = await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = programId, Category = MailCategories.Draft, Limit = 100 });
        var mail = mails.First(m => m.Message.To[0].Email == admin);
        return SignInLink().Match(mail.Message.HtmlBody).Value;
    }

    public static string TokenIn(string html)
    {
        var match = FormToken().Match(html);
        Assert.True(match.Success, "The page has no form token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<string> Html(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    public static Task<HttpResponseMessage> PostForm(this HttpClient client, string path, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    /// <summary>A program with four people and a closed window: draft v1 is in both admins' mail.</summary>
    public static async Task SeedDraftAsync(this MentoringServer server, string programId = "spring", int people = 4)
    {
        var admin = server.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort(programId)))).StatusCode);
        string[] departments = ["Sales", "Engineering", "Finance"];
        for (var i = 0; i < people; i++)
        {
            var body = new JsonObject
            {
                ["email"] = $"person{i}@example.com",
                ["name"] = $"Person {i}",
                ["consent"] = true,
                ["answers"] = new JsonObject { ["department"] = departments[i % 3], ["level"] = $"{1 + (i % 5)}", ["goals"] = new JsonArray("SQL") },
            };
            Assert.Equal(HttpStatusCode.Created, (await server.Public().PostAsync($"/api/programs/{programId}/registrations", Http.Json(body.ToJsonString()))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/programs/{programId}/windows", Http.Json("{}"))).StatusCode);
    }

    /// <summary>Signs <paramref name="client"/> in with the admin key (operator).</summary>
    public static async Task SignInAsOperator(this HttpClient client)
    {
        var response = await client.PostForm("/api/dashboard/sign-in", ("key", MentoringServer.AdminKey));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"sign-in: {(int)response.StatusCode}");
    }
}
