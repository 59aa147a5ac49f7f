using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;

namespace Mentoring.Core.Tests.Registration;

/// <summary>The detail of each refused signup, as the person (or the forms tool's admin) reads it in the problem document.</summary>
public sealed class RegistrationProblemTests
{
    private static readonly MentoringProgram Program = new()
    {
        Id = "buddies",
        Name = "Buddies",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        Questionnaire = new Questionnaire
        {
            Questions = [new() { Key = "department", Type = QuestionType.SingleChoice, Options = ["Sales", "Engineering"], Role = MatchingRole.Different, Weight = 10 }],
        },
    };

    private static FieldError Problem(string? email = "ana@example.com", string? name = "Ana", bool? consent = true,
        Dictionary<string, IReadOnlyList<string>>? answers = null)
    {
        var refused = Assert.Throws<ValidationFailedException>(() => RegistrationValidator.Validate(Program, new RegistrationRequest
        {
            Email = email,
            Name = name,
            Consent = consent,
            Answers = answers ?? new Dictionary<string, IReadOnlyList<string>>(),
            Source = new RegistrationSource(RegistrationSource.Api),
        }));
        return Assert.Single(refused.Errors);
    }

    [Fact]
    public void Each_missing_or_broken_participant_field_is_explained()
    {
        Assert.Equal(("email", Rules.Required, "An email address is required."), Parts(Problem(email: "  ")));
        Assert.Equal(("email", Rules.InvalidEmail, "'ana at example' is not a valid email address."), Parts(Problem(email: "ana at example")));
        Assert.Equal(("name", Rules.Required, "A name is required."), Parts(Problem(name: " ")));
        Assert.Equal(("name", Rules.Required, "A name is required."), Parts(Problem(name: null)));
        // Names go into mail headers: a line break or a direction override is refused and named.
        Assert.Equal(("name", Rules.ControlCharacter,
            "The name contains the control or invisible character U+000A (line breaks, tabs, NUL, ESC and direction overrides are not allowed)."),
            Parts(Problem(name: "Ana\nBcc: everyone@example.com")));
        Assert.Equal(("name", Rules.ControlCharacter,
            "The name contains the control or invisible character U+202E (line breaks, tabs, NUL, ESC and direction overrides are not allowed)."),
            Parts(Problem(name: "Ana \u202Eevil")));
        Assert.Equal(("consent", Rules.Consent, "Consent must be given (true) to take part."), Parts(Problem(consent: false)));
    }

    [Fact]
    public void Each_broken_answer_is_explained()
    {
        Assert.Equal(("answers.shoeSize", Rules.UnknownQuestion, "The program has no question with key 'shoeSize'."),
            Parts(Problem(answers: new() { ["shoeSize"] = ["44"] })));
        Assert.Equal(("answers.department", Rules.SingleValue, "'department' takes one answer, got 2."),
            Parts(Problem(answers: new() { ["department"] = ["Sales", "Engineering"] })));
        Assert.Equal(("answers.doNotMatch", Rules.InvalidEmail, "'bo at example' is not a valid email address."),
            Parts(Problem(answers: new() { ["doNotMatch"] = ["bo@example.com", "bo at example"] })));
        Assert.Equal(("answers.timeZone", Rules.InvalidTimeZone, "'Mars/Olympus' is not a known IANA time zone (for example Europe/Berlin)."),
            Parts(Problem(answers: new() { ["timeZone"] = ["Mars/Olympus"] })));
    }

    private static (string, string, string) Parts(FieldError error) => (error.Field, error.Rule, error.Detail);
}
