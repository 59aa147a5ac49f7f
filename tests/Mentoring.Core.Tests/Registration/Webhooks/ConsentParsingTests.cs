using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>How a mapped consent field of a form becomes consent: nobody is matched on a box they left unticked.</summary>
public sealed class ConsentParsingTests
{
    private static readonly MentoringProgram Program = new()
    {
        Id = "p1",
        Name = "Peer mentoring",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        WebhookSecrets = ["s"],
        Questionnaire = new Questionnaire { Questions = [] },
        FieldMaps = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tally"] = new Dictionary<string, string> { ["c"] = "consent", ["e"] = "email" },
        },
    };

    private static bool? Consent(params string[] values) =>
        SubmissionMapper.ToRegistration(Program, "tally",
            new FormSubmission("sub-1", new Dictionary<string, IReadOnlyList<string>> { ["e"] = ["a@example.com"], ["c"] = values }, null)).Consent;

    [Theory]
    [InlineData("n")]
    [InlineData("N")]
    [InlineData("No")]
    [InlineData("OFF")]
    [InlineData("Unchecked")]
    [InlineData(" false ")]
    public void A_short_or_upper_case_no_is_a_refusal(string value) => Assert.False(Consent(value));

    [Fact]
    public void One_truthy_value_among_several_is_consent()
    {
        Assert.True(Consent("no", "I agree to be matched"));
        Assert.True(Consent("I agree to be matched", "0"));
    }

    [Fact]
    public void Several_values_that_are_all_refusals_or_blank_are_no_consent() => Assert.False(Consent("n", " ", "0", ""));

    [Theory]
    [InlineData("yes")]
    [InlineData("y")]
    [InlineData("on")]
    public void Any_other_answer_in_the_consent_field_is_consent(string value) => Assert.True(Consent(value));
}
