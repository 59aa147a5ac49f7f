using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

public class FormsProvidersTests
{
    [Fact]
    public void Every_documented_provider_is_registered()
    {
        Assert.Equal(["typeform", "tally", "jotform", "google-forms", "generic"], FormsProviders.Names);
        foreach (var name in FormsProviders.Names)
        {
            Assert.Equal(name, FormsProviders.Find(name)!.Name);
        }
    }

    [Fact]
    public void Find_ignores_case_and_returns_null_for_unknown_providers()
    {
        Assert.Same(FormsProviders.Typeform, FormsProviders.Find("TypeForm"));
        Assert.Null(FormsProviders.Find("surveymonkey"));
    }

    [Theory]
    [InlineData("typeform", "application/json", true)]
    [InlineData("typeform", "application/json; charset=utf-8", true)]
    [InlineData("typeform", "Application/JSON", true)]
    [InlineData("typeform", "text/plain", false)]
    [InlineData("typeform", null, false)]
    [InlineData("tally", "application/json", true)]
    [InlineData("jotform", "multipart/form-data; boundary=abc", true)]
    [InlineData("jotform", "application/x-www-form-urlencoded", true)]
    [InlineData("jotform", "application/json", false)]
    [InlineData("generic", "application/json", true)]
    [InlineData("google-forms", "multipart/form-data; boundary=abc", false)]
    public void Accepts_checks_the_media_type_only(string provider, string? contentType, bool accepted) =>
        Assert.Equal(accepted, FormsProviders.Find(provider)!.Accepts(contentType));
}
