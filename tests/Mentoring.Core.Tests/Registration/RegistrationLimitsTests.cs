using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;

namespace Mentoring.Core.Tests.Registration;

/// <summary>The size limits of a signup: each is accepted exactly at the limit and refused one past it, naming the field.</summary>
public sealed class RegistrationLimitsTests
{
    private static readonly string[] Topics = [.. Enumerable.Range(1, 60).Select(i => $"Topic {i}")];

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
                new() { Key = "story", Label = "Your story", Type = QuestionType.FreeText, Required = true },
                new() { Key = "topics", Type = QuestionType.MultiChoice, Options = Topics, Role = MatchingRole.Overlap, Weight = 5 },
            ],
        },
    };

    private static RegistrationRequest Request(string name = "Ana", string story = "Likes SQL", IReadOnlyList<string>? topics = null) => new()
    {
        Email = "ana@example.com",
        Name = name,
        Consent = true,
        Answers = topics is null
            ? new Dictionary<string, IReadOnlyList<string>> { ["story"] = [story] }
            : new Dictionary<string, IReadOnlyList<string>> { ["story"] = [story], ["topics"] = topics },
        Source = new RegistrationSource(RegistrationSource.Api),
    };

    private static FieldError Error(RegistrationRequest request) =>
        Assert.Single(Assert.Throws<ValidationFailedException>(() => RegistrationValidator.Validate(Program, request)).Errors);

    [Fact]
    public void A_name_of_200_characters_is_kept_and_one_of_201_is_refused()
    {
        Assert.Equal(200, RegistrationValidator.Validate(Program, Request(name: new string('n', 200))).Name.Length);
        var error = Error(Request(name: new string('n', 201)));
        Assert.Equal(("name", Rules.TooLong), (error.Field, error.Rule));
        Assert.Contains("200", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Spaces_around_a_name_do_not_count_towards_its_length()
    {
        var valid = RegistrationValidator.Validate(Program, Request(name: "  " + new string('n', 200) + "  "));
        Assert.Equal(new string('n', 200), valid.Name);
    }

    [Fact]
    public void Free_text_of_2000_characters_is_kept_and_2001_is_refused_naming_the_question()
    {
        Assert.Equal(2000, RegistrationValidator.Validate(Program, Request(story: new string('s', 2000))).Answers["story"][0].Length);
        var error = Error(Request(story: new string('s', 2001)));
        Assert.Equal(("answers.story", Rules.TooLong), (error.Field, error.Rule));
        Assert.Contains("2000", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Fifty_values_are_accepted_and_fifty_one_are_refused()
    {
        var valid = RegistrationValidator.Validate(Program, Request(topics: Topics[..50]));
        Assert.Equal(Topics[..50], valid.Answers["topics"]);
        var error = Error(Request(topics: Topics[..51]));
        Assert.Equal(("answers.topics", Rules.OutOfRange), (error.Field, error.Rule));
        Assert.Contains("50", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_values_are_dropped_before_counting_and_only_blanks_is_no_answer()
    {
        var valid = RegistrationValidator.Validate(Program, Request(topics: ["  ", "Topic 3", "", "Topic 3 ", null!]));
        Assert.Equal(["Topic 3"], valid.Answers["topics"]);

        var onlyBlanks = RegistrationValidator.Validate(Program, Request(topics: [" ", ""]));
        Assert.False(onlyBlanks.Answers.ContainsKey("topics"));

        var error = Error(Request(story: "   "));
        Assert.Equal(("answers.story", Rules.Required), (error.Field, error.Rule));
        Assert.Equal("'Your story' is required.", error.Detail);
    }

    [Fact]
    public void A_required_question_answered_wrongly_is_reported_once_not_also_as_missing()
    {
        var errors = Assert.Throws<ValidationFailedException>(() =>
            RegistrationValidator.Validate(Program, Request(story: new string('s', 2001), topics: ["Topic 999"]))).Errors;
        Assert.Equal(["answers.story:too-long", "answers.topics:option-not-allowed"], errors.Select(e => $"{e.Field}:{e.Rule}"));
    }
}
