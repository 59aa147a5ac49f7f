using Mentoring.Core.Common;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Tests.Programs;

public sealed class PairingShapeValidationTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static ProgramDefinition Valid => new()
    {
        Name = "Spring mentoring",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        Registration = new() { OpensAt = Now, ClosesAt = Now.AddDays(14) },
    };

    private static IReadOnlyList<string> Fields(ProgramDefinition definition) =>
        Assert.Throws<ValidationFailedException>(() => ProgramValidator.Validate(definition, "spring", [], Now, Now)).Errors.Select(e => $"{e.Field}:{e.Rule}").ToList();

    [Fact]
    public void Existing_programs_stay_peers_without_role_questions()
    {
        var program = ProgramValidator.Validate(Valid, "spring", [], Now, Now);
        Assert.Equal(PairingShape.Peers, program.Pairing);
        Assert.Null(program.Questionnaire.Find(BuiltInQuestions.Role));
    }

    [Fact]
    public void A_mentor_mentee_program_gets_the_built_in_role_and_capacity_questions()
    {
        var program = ProgramValidator.Validate(Valid with { Pairing = PairingShape.MentorMentee, Roles = new() { MaxMentees = 4 } }, "spring", [], Now, Now);
        var role = program.Questionnaire.Find(BuiltInQuestions.Role)!;
        Assert.Equal(["mentor", "mentee", "either"], role.Options);
        Assert.True(role.Required);
        Assert.Equal(["1", "2", "3", "4"], program.Questionnaire.Find(BuiltInQuestions.Capacity)!.Options);
    }

    [Fact]
    public void User_led_pairing_is_open_to_one_to_one_roles_programs_but_not_to_led_groups_or_buddies()
    {
        var userLed = new ChoosingPolicy { Mode = PairingMode.UserLed };
        Assert.Equal(PairingMode.UserLed, ProgramValidator.Validate(Valid with { Pairing = PairingShape.MentorMentee, Choosing = userLed }, "spring", [], Now, Now).Choosing.Mode);
        Assert.Equal(PairingMode.UserLed, ProgramValidator.Validate(Valid with { Pairing = PairingShape.Reverse, Choosing = userLed }, "spring", [], Now, Now).Choosing.Mode);
        Assert.Equal(["choosing.mode:out-of-range"], Fields(Valid with { Pairing = PairingShape.GroupsLed, Roles = new() { MaxMentees = 4 }, Choosing = userLed }));
        Assert.Contains("choosing.mode:out-of-range", Fields(Valid with { Pairing = PairingShape.Buddies, Choosing = userLed }));
    }

    [Fact]
    public void Shapes_that_contradict_the_program_or_their_questions_are_refused()
    {
        Assert.Equal(["pairing:out-of-range"], Fields(Valid with { Kind = ProgramKind.Groups, GroupSize = 4, Pairing = PairingShape.MentorMentee }));
        Assert.Equal(["roles:out-of-range"], Fields(Valid with { Roles = new() { MaxMentees = 2 } }));
        Assert.Equal(["roles.maxMentees:out-of-range"], Fields(Valid with { Pairing = PairingShape.MentorMentee, Roles = new() { MaxMentees = 0 } }));
        Assert.Equal(["buddies.kinds:required"], Fields(Valid with { Pairing = PairingShape.Buddies }));
        var freeTextRole = new Questionnaire { Questions = [new Question { Key = BuiltInQuestions.Role, Type = QuestionType.FreeText }] };
        Assert.Equal(["questionnaire.role:wrong-type"], Fields(Valid with { Pairing = PairingShape.Reverse, Questionnaire = freeTextRole }));
        var bigCapacity = new Questionnaire { Questions = [new Question { Key = BuiltInQuestions.Capacity, Type = QuestionType.OrdinalScale, Options = ["1", "9"] }] };
        Assert.Equal(["questionnaire.capacity:wrong-type"], Fields(Valid with { Pairing = PairingShape.MentorMentee, Questionnaire = bigCapacity }));
    }

    [Fact]
    public void A_led_group_program_gets_a_capacity_question_from_the_smallest_to_the_largest_group()
    {
        var program = ProgramValidator.Validate(Valid with { Pairing = PairingShape.GroupsLed, Roles = new() { MaxMentees = 5, MinMentees = 3 } }, "spring", [], Now, Now);
        Assert.Equal(["mentor", "mentee", "either"], program.Questionnaire.Find(BuiltInQuestions.Role)!.Options);
        Assert.Equal(["3", "4", "5"], program.Questionnaire.Find(BuiltInQuestions.Capacity)!.Options);
    }

    [Fact]
    public void Led_groups_outside_two_to_six_mentees_are_refused()
    {
        Assert.Equal(["roles.maxMentees:out-of-range"], Fields(Valid with { Pairing = PairingShape.GroupsLed, Roles = new() { MaxMentees = 7 } }));
        Assert.Equal(["roles.maxMentees:out-of-range"], Fields(Valid with { Pairing = PairingShape.GroupsLed, Roles = new() { MaxMentees = 1 } }));
        Assert.Equal(["roles.minMentees:out-of-range"], Fields(Valid with { Pairing = PairingShape.GroupsLed, Roles = new() { MaxMentees = 4, MinMentees = 1 } }));
        Assert.Equal(["roles.minMentees:out-of-range"], Fields(Valid with { Pairing = PairingShape.GroupsLed, Roles = new() { MaxMentees = 4, MinMentees = 5 } }));
        Assert.Equal(["roles.minMentees:out-of-range"], Fields(Valid with { Pairing = PairingShape.MentorMentee, Roles = new() { MinMentees = 2 } }));
        Assert.Equal(["pairing:out-of-range"], Fields(Valid with { Kind = ProgramKind.Groups, GroupSize = 4, Pairing = PairingShape.GroupsLed }));
        var singleSeat = new Questionnaire { Questions = [new Question { Key = BuiltInQuestions.Capacity, Type = QuestionType.OrdinalScale, Options = ["1", "2", "3"] }] };
        Assert.Equal(["questionnaire.capacity:wrong-type"], Fields(Valid with { Pairing = PairingShape.GroupsLed, Questionnaire = singleSeat }));
    }

    private static BuddyPolicy Kinds(params BuddyKind[] kinds) => new() { Kinds = kinds };

    [Fact]
    public void A_buddies_program_gets_a_newcomer_or_buddy_role_and_a_yes_no_question_per_kind()
    {
        var program = ProgramValidator.Validate(Valid with
        {
            Pairing = PairingShape.Buddies,
            Buddies = Kinds(new BuddyKind { Key = "culture", Eligibility = "cultureBuddy", Capacity = 2 }, new BuddyKind { Key = "role", Label = "role buddy", Eligibility = "roleBuddy" }),
        }, "spring", [], Now, Now);
        Assert.Equal(["newcomer", "buddy"], program.Questionnaire.Find(BuiltInQuestions.Role)!.Options);
        Assert.Equal(["yes", "no"], program.Questionnaire.Find("cultureBuddy")!.Options);
        Assert.Contains("culture buddy", program.Questionnaire.Find("cultureBuddy")!.Label, StringComparison.Ordinal);
        Assert.Null(program.Questionnaire.Find(BuiltInQuestions.Capacity));
        Assert.Equal(2, program.Buddies.Kinds[0].Capacity);
    }

    [Fact]
    public void Buddy_kinds_that_contradict_their_questions_are_refused()
    {
        var culture = new BuddyKind { Key = "culture", Eligibility = "cultureBuddy" };
        Assert.Equal(["buddies.kinds:required"], Fields(Valid with { Pairing = PairingShape.Buddies, Buddies = Kinds() }));
        Assert.Equal(["buddies:out-of-range"], Fields(Valid with { Pairing = PairingShape.MentorMentee, Buddies = Kinds(culture) }));
        Assert.Equal(["roles:out-of-range"], Fields(Valid with { Pairing = PairingShape.Buddies, Buddies = Kinds(culture), Roles = new() }));
        Assert.Equal(["buddies.kinds[1].key:duplicate", "buddies.kinds[1].eligibility:duplicate"],
            Fields(Valid with { Pairing = PairingShape.Buddies, Buddies = Kinds(culture, culture) }));
        Assert.Equal(["buddies.kinds[0].capacity:out-of-range"], Fields(Valid with { Pairing = PairingShape.Buddies, Buddies = Kinds(culture with { Capacity = 0 }) }));
        Assert.Equal(["buddies.kinds[0].eligibility:wrong-type"], Fields(Valid with { Pairing = PairingShape.Buddies, Buddies = Kinds(culture with { Eligibility = "department" }) }));
        var freeText = new Questionnaire { Questions = [new Question { Key = "cultureBuddy", Type = QuestionType.FreeText }] };
        Assert.Equal(["buddies.kinds[0].eligibility:wrong-type"], Fields(Valid with { Pairing = PairingShape.Buddies, Buddies = Kinds(culture), Questionnaire = freeText }));
        var mentorRole = new Questionnaire { Questions = [new Question { Key = BuiltInQuestions.Role, Type = QuestionType.SingleChoice, Options = ["mentor", "mentee"] }] };
        Assert.Equal(["questionnaire.role:wrong-type"], Fields(Valid with { Pairing = PairingShape.Buddies, Buddies = Kinds(culture), Questionnaire = mentorRole }));
        Assert.Equal(["pairing:out-of-range"], Fields(Valid with { Kind = ProgramKind.Groups, GroupSize = 4, Pairing = PairingShape.Buddies, Buddies = Kinds(culture) }));
        Assert.Equal(["pairing:out-of-range"], Fields(Valid with { Kind = ProgramKind.Evergreen, Registration = new(), Pairing = PairingShape.Buddies, Buddies = Kinds(culture) }));
    }
}
