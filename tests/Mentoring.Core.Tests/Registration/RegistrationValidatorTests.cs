using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;

namespace Mentoring.Core.Tests.Registration;

public sealed class RegistrationValidatorTests
{
    private static readonly MentoringProgram Program = new()
    {
        Id = "buddies",
        Name = "Buddies",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        Questionnaire = new Questionnaire
        {
            Questions =
            [
                new() { Key = "department", Type = QuestionType.SingleChoice, Options = ["Sales", "Engineering"], Required = true, Role = MatchingRole.Different, Weight = 10 },
                new() { Key = "level", Type = QuestionType.OrdinalScale, Options = ["1", "2", "3", "4"], Role = MatchingRole.Similar, Weight = 5 },
                new() { Key = "goals", Type = QuestionType.MultiChoice, Options = ["Negotiation", "Public speaking", "SQL"], Role = MatchingRole.Overlap, Weight = 20 },
            ],
        },
    };

    private static RegistrationRequest Request(Dictionary<string, IReadOnlyList<string>>? answers = null, string? email = "  Ana@Example.COM ",
        string? name = "Ana", bool? consent = true) => new()
        {
            Email = email,
            Name = name,
            Consent = consent,
            Answers = answers ?? new() { ["department"] = ["sales"] },
            Source = new RegistrationSource(RegistrationSource.Api),
        };

    private static IReadOnlyList<FieldError> Errors(RegistrationRequest request) =>
        Assert.Throws<ValidationFailedException>(() => RegistrationValidator.Validate(Program, request)).Errors;

    [Fact]
    public void A_name_may_hold_the_zero_width_joiners_that_some_scripts_and_emoji_need()
    {
        var persian = RegistrationValidator.Validate(Program, Request(name: "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"));
        var family = RegistrationValidator.Validate(Program, Request(name: "Ana \U0001F469\u200D\U0001F467"));

        Assert.Equal("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", persian.Name);
        Assert.Equal("Ana \U0001F469\u200D\U0001F467", family.Name);
    }

    [Fact]
    public void Email_is_normalised_and_choices_take_the_option_spelling()
    {
        var valid = RegistrationValidator.Validate(Program, Request(new()
        {
            ["department"] = ["sales"],
            ["goals"] = ["sql", "negotiation", "SQL"],
            ["timeZone"] = ["europe/berlin"],
        }));

        Assert.Equal("ana@example.com", valid.Email);
        Assert.Equal(["Sales"], valid.Answers["department"]);
        Assert.Equal(["SQL", "Negotiation"], valid.Answers["goals"]);
        Assert.Equal(["Europe/Berlin"], valid.Answers["timeZone"]);
    }

    [Fact]
    public void A_missing_required_answer_names_the_question()
    {
        var error = Assert.Single(Errors(Request(new())));
        Assert.Equal(("answers.department", Rules.Required), (error.Field, error.Rule));
    }

    [Fact]
    public void An_option_outside_the_list_is_refused_with_the_allowed_ones()
    {
        var error = Assert.Single(Errors(Request(new() { ["department"] = ["Marketing"] })));
        Assert.Equal(Rules.OptionNotAllowed, error.Rule);
        Assert.Contains("Sales, Engineering", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_question_key_is_refused()
    {
        var errors = Errors(Request(new() { ["department"] = ["Sales"], ["shoeSize"] = ["42"] }));
        Assert.Equal(("answers.shoeSize", Rules.UnknownQuestion), (errors[0].Field, errors[0].Rule));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a b@example.com")]
    [InlineData("a@@example.com")]
    public void A_bad_email_is_refused(string email)
    {
        var error = Assert.Single(Errors(Request(email: email)));
        Assert.Equal(("email", Rules.InvalidEmail), (error.Field, error.Rule));
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var errors = Errors(Request(new() { ["level"] = ["9"], ["managerEmail"] = ["boss"] }, email: null, name: " ", consent: false));
        Assert.Equal(
            ["email:required", "name:required", "consent:consent-required", "answers.level:option-not-allowed", "answers.managerEmail:invalid-email", "answers.department:required"],
            errors.Select(e => $"{e.Field}:{e.Rule}"));
    }

    [Fact]
    public void A_single_answer_question_refuses_two_values()
    {
        var error = Assert.Single(Errors(Request(new() { ["department"] = ["Sales", "Engineering"] })));
        Assert.Equal(Rules.SingleValue, error.Rule);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused()
    {
        var error = Assert.Single(Errors(Request(new() { ["department"] = ["Sales"], ["timeZone"] = ["Mars/Olympus"] })));
        Assert.Equal(("answers.timeZone", Rules.InvalidTimeZone), (error.Field, error.Rule));
    }

    [Fact]
    public void The_do_not_match_list_takes_several_addresses()
    {
        var valid = RegistrationValidator.Validate(Program, Request(new() { ["department"] = ["Sales"], ["doNotMatch"] = ["X@example.com", "y@example.com"] }));
        Assert.Equal(["x@example.com", "y@example.com"], valid.Answers["doNotMatch"]);
    }
}
