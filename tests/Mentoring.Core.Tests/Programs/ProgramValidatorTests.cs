using Mentoring.Core.Common;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Tests.Programs;

public sealed class ProgramValidatorTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static ProgramDefinition Valid => new()
    {
        Name = "Spring buddies",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["HR@example.com"],
        TimeZone = "Europe/Berlin",
        Registration = new() { OpensAt = Now, ClosesAt = Now.AddDays(14) },
    };

    private static IReadOnlyList<string> Fields(ProgramDefinition definition, string id = "spring") =>
        Assert.Throws<ValidationFailedException>(() => ProgramValidator.Validate(definition, id, [], Now, Now)).Errors.Select(e => $"{e.Field}:{e.Rule}").ToList();

    [Fact]
    public void A_valid_definition_becomes_a_program_with_normalised_admins()
    {
        var program = ProgramValidator.Validate(Valid, "spring", ["0123456789abcdef0123"], Now, Now);
        Assert.Equal(["hr@example.com"], program.AdminEmails);
        Assert.Equal(ProgramKind.Cohort, program.Kind);
    }

    [Fact]
    public void Group_programs_need_a_group_size_from_three_to_five()
    {
        Assert.Equal(["groupSize:out-of-range"], Fields(Valid with { Kind = ProgramKind.Groups, GroupSize = 2 }));
        Assert.Equal(["groupSize:out-of-range"], Fields(Valid with { GroupSize = 3 }));
    }

    [Fact]
    public void Registration_must_close_after_it_opens()
    {
        Assert.Equal(["registration.closesAt:invalid-window"], Fields(Valid with { Registration = new() { OpensAt = Now, ClosesAt = Now } }));
    }

    [Fact]
    public void Choice_questions_need_options_and_keys_are_unique()
    {
        var definition = Valid with
        {
            Questionnaire = new()
            {
                Questions =
                [
                    new() { Key = "dept", Type = QuestionType.SingleChoice },
                    new() { Key = "dept", Type = QuestionType.FreeText },
                    new() { Key = "9lives", Type = QuestionType.FreeText },
                ],
            },
        };
        Assert.Equal(
            ["questionnaire.questions[0].options:required", "questionnaire.questions[1].key:duplicate", "questionnaire.questions[2].key:format"],
            Fields(definition));
    }

    [Fact]
    public void A_complementary_question_must_name_its_wants_question()
    {
        var definition = Valid with
        {
            Questionnaire = new()
            {
                Questions = [new() { Key = "offers", Type = QuestionType.MultiChoice, Options = ["SQL"], Role = MatchingRole.Complementary, ComplementKey = "wants", Weight = 5 }],
            },
        };
        Assert.Equal(["questionnaire.questions[0].complementKey:unknown-question"], Fields(definition));
    }

    [Fact]
    public void A_field_map_may_only_target_known_keys()
    {
        var definition = Valid with
        {
            FieldMaps = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["typeform"] = new Dictionary<string, string> { ["ref_email"] = "email", ["ref_x"] = "favouriteColour" },
            },
        };
        Assert.Equal(["fieldMaps.typeform.ref_x:unknown-question"], Fields(definition));
    }

    [Fact]
    public void Admins_time_zone_kind_and_id_are_checked()
    {
        var definition = new ProgramDefinition { Name = "x", AdminEmails = ["nope"], TimeZone = "Atlantis/Capital" };
        Assert.Equal(["id:format", "kind:required", "adminEmails[0]:invalid-email", "timeZone:invalid-time-zone"], Fields(definition, "Bad Id"));
    }

    [Theory]
    [InlineData("Spring Buddies 2027!", "spring-buddies-2027")]
    [InlineData("  Ünïcode -- name ", "n-code-name")]
    public void Ids_are_derived_from_names(string name, string slug) => Assert.Equal(slug, ProgramCatalog.Slug(name));
}
