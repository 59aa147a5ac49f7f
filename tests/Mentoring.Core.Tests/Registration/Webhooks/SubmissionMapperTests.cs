using Mentoring.Core.Common;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

public class SubmissionMapperTests
{
    private static MentoringProgram Program(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? maps = null) => new()
    {
        Id = "p1",
        Name = "Peer mentoring",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        WebhookSecrets = ["s"],
        Questionnaire = new Questionnaire
        {
            Questions = [new Question { Key = "goals", Type = QuestionType.MultiChoice, Options = ["Public speaking", "Leadership"] }],
        },
        FieldMaps = maps ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(),
    };

    private static MentoringProgram MappedProgram(string provider) =>
        Program(new Dictionary<string, IReadOnlyDictionary<string, string>> { [provider] = WebhookFixtures.FieldMap(provider) });

    private static FormSubmission Submission(params (string Id, string[] Values)[] fields) =>
        new("sub-1", fields.ToDictionary(f => f.Id, f => (IReadOnlyList<string>)f.Values), null);

    public static TheoryData<string> Providers() => [.. WebhookFixtures.Providers];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_fixture_maps_to_the_same_registration_through_its_field_map(string provider)
    {
        var submission = FormsProviders.Find(provider)!.Parse(WebhookFixtures.Signed(provider, "s", "sub-9").ToDelivery());

        var request = SubmissionMapper.ToRegistration(MappedProgram(provider), provider, submission);

        Assert.Equal(WebhookFixtures.DefaultEmail, request.Email);
        Assert.Equal(WebhookFixtures.ExpectedName, request.Name);
        Assert.True(request.Consent);
        Assert.Equal(provider, request.Source.Channel);
        Assert.Equal("sub-9", request.Source.SubmissionId);
        Assert.Equal("", request.AnswerFieldPrefix);
        Assert.Equal(["department", "level", "timeZone"], request.Answers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([WebhookFixtures.ExpectedDepartment], request.Answers["department"]);
        Assert.Equal([WebhookFixtures.ExpectedLevel], request.Answers["level"]);
        Assert.Equal([WebhookFixtures.ExpectedTimeZone], request.Answers["timeZone"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_mapped_fixture_passes_registration_validation(string provider)
    {
        var submission = FormsProviders.Find(provider)!.Parse(WebhookFixtures.Signed(provider, "s").ToDelivery());
        var program = MappedProgram(provider);

        var valid = RegistrationValidator.Validate(program, SubmissionMapper.ToRegistration(program, provider, submission));

        Assert.Equal(WebhookFixtures.DefaultEmail, valid.Email);
        Assert.Equal(WebhookFixtures.ExpectedName, valid.Name);
    }

    [Fact]
    public void Fields_map_by_stable_id_and_unmapped_fields_are_ignored()
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tally"] = new Dictionary<string, string> { ["question_a"] = "email", ["question_b"] = "goals" },
        });
        var request = SubmissionMapper.ToRegistration(program, "tally", Submission(
            ("question_a", ["a@example.com"]),
            ("question_b", ["Leadership", "Public speaking"]),
            ("question_c", ["not in the map"]),
            ("department", ["the map wins over identity"])));

        Assert.Equal("a@example.com", request.Email);
        Assert.Equal(["goals"], request.Answers.Keys);
        Assert.Equal(["Leadership", "Public speaking"], request.Answers["goals"]);
    }

    [Fact]
    public void A_map_for_another_provider_does_not_apply()
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["typeform"] = new Dictionary<string, string> { ["work_email"] = "email" },
        });
        var request = SubmissionMapper.ToRegistration(program, "generic", Submission(("work_email", ["x@example.com"]), ("email", ["y@example.com"])));
        Assert.Equal("y@example.com", request.Email);
    }

    [Fact]
    public void Without_a_map_field_ids_that_are_question_keys_are_used_as_they_are()
    {
        var request = SubmissionMapper.ToRegistration(Program(), "generic", Submission(
            ("email", ["a@example.com"]),
            ("name", ["Ada"]),
            ("goals", ["Leadership"]),
            ("department", ["Sales"]),
            ("utm_source", ["newsletter"])));

        Assert.Equal("a@example.com", request.Email);
        Assert.Equal("Ada", request.Name);
        Assert.Equal(["department", "goals"], request.Answers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Several_fields_mapped_to_name_are_joined()
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tally"] = new Dictionary<string, string> { ["first"] = "name", ["last"] = "name" },
        });
        var request = SubmissionMapper.ToRegistration(program, "tally", Submission(("first", ["Ada "]), ("last", ["Lovelace"])));
        Assert.Equal("Ada Lovelace", request.Name);
        var blankMiddle = SubmissionMapper.ToRegistration(program, "tally", Submission(("first", ["Ada", " "]), ("last", ["Lovelace"])));
        Assert.Equal("Ada Lovelace", blankMiddle.Name);
    }

    [Fact]
    public void Two_different_emails_are_rejected_but_repeats_are_not()
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tally"] = new Dictionary<string, string> { ["a"] = "email", ["b"] = "email" },
        });
        var same = SubmissionMapper.ToRegistration(program, "tally", Submission(("a", ["x@example.com"]), ("b", ["X@example.com"])));
        Assert.Equal("x@example.com", same.Email);
        var secondLeftBlank = SubmissionMapper.ToRegistration(program, "tally", Submission(("a", ["x@example.com"]), ("b", [" "])));
        Assert.Equal("x@example.com", secondLeftBlank.Email);

        var error = Assert.Throws<ValidationFailedException>(() =>
            SubmissionMapper.ToRegistration(program, "tally", Submission(("a", ["x@example.com"]), ("b", ["y@example.com"]))));
        Assert.Equal(("email", Rules.SingleValue, "The form sent 2 different email addresses; map exactly one field to 'email'."),
            (error.Errors[0].Field, error.Errors[0].Rule, error.Errors[0].Detail));
    }

    [Fact]
    public void With_no_consent_field_mapped_submitting_the_form_is_consent()
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["typeform"] = new Dictionary<string, string> { ["e"] = "email" },
        });
        Assert.True(SubmissionMapper.ToRegistration(program, "typeform", Submission(("e", ["a@example.com"]))).Consent);
        Assert.True(SubmissionMapper.ToRegistration(Program(), "generic", Submission(("email", ["a@example.com"]))).Consent);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("checked", true)]
    [InlineData("I agree to be matched and contacted", true)]
    [InlineData("no", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData(" off ", false)]
    [InlineData("unchecked", false)]
    [InlineData("   ", false)]
    public void A_mapped_consent_field_is_read_for_truthy_values(string value, bool consent)
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tally"] = new Dictionary<string, string> { ["c"] = "consent" },
        });
        Assert.Equal(consent, SubmissionMapper.ToRegistration(program, "tally", Submission(("c", [value]))).Consent);
    }

    [Fact]
    public void A_mapped_consent_field_left_unanswered_is_no_consent()
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["tally"] = new Dictionary<string, string> { ["c"] = "consent", ["e"] = "email" },
        });
        var request = SubmissionMapper.ToRegistration(program, "tally", Submission(("e", ["a@example.com"])));
        Assert.False(request.Consent);
        Assert.DoesNotContain(BuiltInQuestions.Consent, request.Answers.Keys);
    }

    [Fact]
    public void Identity_mapping_reads_an_explicit_consent_field()
    {
        var request = SubmissionMapper.ToRegistration(Program(), "generic", Submission(("consent", ["false"])));
        Assert.False(request.Consent);
    }

    [Fact]
    public void Provider_map_names_match_case_insensitively()
    {
        var program = Program(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["Typeform"] = new Dictionary<string, string> { ["work_email"] = "email" },
        });
        Assert.Equal("a@example.com", SubmissionMapper.ToRegistration(program, "typeform", Submission(("work_email", ["a@example.com"]))).Email);
    }
}
