using Mentoring.Core.Common;
using Mentoring.Core.Engagement.Agendas;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Engagement;

public sealed class SessionAgendaTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static ProgramDefinition Valid => new()
    {
        Name = "Spring mentoring",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        Registration = new() { OpensAt = Now, ClosesAt = Now.AddDays(14) },
    };

    private static MentoringProgram Program(ProgramDefinition definition) => ProgramValidator.Validate(definition, "spring", [], Now, Now);

    private static IReadOnlyList<string> Refusals(ProgramDefinition definition) =>
        Assert.Throws<ValidationFailedException>(() => Program(definition)).Errors.Select(e => $"{e.Field}:{e.Rule}").ToList();

    private static AgendaSession Session(int week, string title = "Goals", params string[] prompts) =>
        new() { Week = week, Title = title, Prompts = prompts.Length == 0 ? ["What do you want to learn?", "What can you teach?"] : prompts };

    [Fact]
    public void A_program_without_agendas_walks_onboarding_goals_networking_and_a_wrap_up_over_its_length()
    {
        var program = Program(Valid with { Engagement = new() { ProgramLengthDays = 90 } });

        var sessions = SessionAgendas.For(program);

        Assert.True(SessionAgendas.IsBuiltIn(program));
        Assert.Equal(["Getting to know each other", "Setting goals", "Widening your network", "Looking back and ahead"], sessions.Select(s => s.Title));
        Assert.Equal([1, 3, 6, 12], sessions.Select(s => s.Week));
        Assert.All(sessions, s => Assert.InRange(s.Prompts.Count, 2, 4));
    }

    [Fact]
    public void Mentor_mentee_programs_get_different_prompts_for_the_mentor_and_the_mentee()
    {
        var program = Program(Valid with { Pairing = PairingShape.MentorMentee });
        var first = SessionAgendas.First(program)!;

        var mentor = SessionAgendas.PromptsFor(first, "mentor");
        var mentee = SessionAgendas.PromptsFor(first, "mentee");

        Assert.Contains(mentor, p => p.Contains("Ask what your mentee hopes", StringComparison.Ordinal));
        Assert.Contains(mentee, p => p.Contains("Say what you hope", StringComparison.Ordinal));
        Assert.Empty(mentor.Intersect(mentee));
        Assert.Equal(first.Prompts, SessionAgendas.PromptsFor(first, null));
        Assert.Equal(first.Prompts, SessionAgendas.PromptsFor(first, "either"));
    }

    private static readonly int[] ProgramLengths = [1, 7, 13, 14, 20, 21, 27, 28, 34, 35, 41, 42, 60, 90, 180, 365, 730];

    [Theory]
    [InlineData(ProgramKind.Cohort, PairingShape.Peers)]
    [InlineData(ProgramKind.Evergreen, PairingShape.Peers)]
    [InlineData(ProgramKind.Cohort, PairingShape.MentorMentee)]
    [InlineData(ProgramKind.Evergreen, PairingShape.Reverse)]
    public void The_built_in_agenda_obeys_the_rules_a_program_team_must_follow_at_every_program_length(ProgramKind kind, PairingShape pairing)
    {
        foreach (var days in ProgramLengths)
        {
            var definition = Valid with
            {
                Kind = kind, Pairing = pairing, Engagement = new() { ProgramLengthDays = days },
                Registration = kind == ProgramKind.Evergreen ? new() : Valid.Registration,
            };
            var builtIn = SessionAgendas.For(Program(definition));

            // Written out as the program's own agenda, the defaults pass validation: distinct, increasing weeks, 2-4 prompts.
            var explicitly = Program(definition with { Agendas = builtIn });
            Assert.Equal(builtIn.Select(s => (s.Week, s.Title)), explicitly.Agendas!.Select(s => (s.Week, s.Title)));
            Assert.StartsWith("Getting", builtIn[0].Title, StringComparison.Ordinal);
            Assert.True(builtIn[^1].Title is "Looking back and ahead" or "Wrapping up", builtIn[^1].Title);
            Assert.InRange(builtIn.Count, 2, 4);
        }
    }

    [Fact]
    public void The_intro_carries_session_one_and_each_nudge_the_latest_session_whose_week_has_begun()
    {
        var program = Program(Valid with { Engagement = new() { ProgramLengthDays = 90 } });
        var intro = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal("Getting to know each other", SessionAgendas.First(program)!.Title);
        Assert.Equal("Getting to know each other", SessionAgendas.Next(program, intro, intro.AddDays(-1))!.Title);
        Assert.Equal("Getting to know each other", SessionAgendas.Next(program, intro, intro.AddDays(13.9))!.Title);
        Assert.Equal("Setting goals", SessionAgendas.Next(program, intro, intro.AddDays(14))!.Title);
        Assert.Equal("Setting goals", SessionAgendas.Next(program, intro, intro.AddDays(34.9))!.Title);
        Assert.Equal("Widening your network", SessionAgendas.Next(program, intro, intro.AddDays(35))!.Title);
        Assert.Equal("Looking back and ahead", SessionAgendas.Next(program, intro, intro.AddDays(84))!.Title);
        Assert.Equal("Looking back and ahead", SessionAgendas.Next(program, intro, intro.AddDays(5000))!.Title);
    }

    [Fact]
    public void A_program_with_an_empty_agenda_list_sends_no_agendas()
    {
        var program = Program(Valid with { Agendas = [] });

        Assert.False(SessionAgendas.IsBuiltIn(program));
        Assert.Null(SessionAgendas.First(program));
        Assert.Null(SessionAgendas.Next(program, Now, Now.AddDays(30)));
    }

    [Fact]
    public void A_program_s_own_agenda_is_stored_trimmed_and_used_instead_of_the_built_in_one()
    {
        var program = Program(Valid with
        {
            Agendas =
            [
                Session(1, "  Coffee  ", " Where did you grow up? ", "What are you reading?"),
                Session(5, "Demo day") with { Activity = "   " },
            ],
        });

        Assert.Equal(["Coffee", "Demo day"], SessionAgendas.For(program).Select(s => s.Title));
        Assert.Equal("Where did you grow up?", program.Agendas![0].Prompts[0]);
        Assert.Null(program.Agendas[1].Activity);
        Assert.Equal("Demo day", SessionAgendas.Next(program, Now, Now.AddDays(28))!.Title);
    }

    [Fact]
    public void Agendas_that_break_the_rules_are_refused_naming_the_field_and_the_rule()
    {
        Assert.Equal(["agendas[0].prompts:out-of-range"], Refusals(Valid with { Agendas = [Session(1, "Hi", "Only one prompt")] }));
        Assert.Equal(["agendas[0].prompts:out-of-range"], Refusals(Valid with { Agendas = [Session(1, "Hi", "a", "b", "c", "d", "e")] }));
        Assert.Equal(["agendas[1].week:out-of-range"], Refusals(Valid with { Agendas = [Session(3), Session(3)] }));
        Assert.Equal(["agendas[1].week:out-of-range"], Refusals(Valid with { Agendas = [Session(4), Session(2)] }));
        Assert.Equal(["agendas[0].week:out-of-range"], Refusals(Valid with { Agendas = [Session(0)] }));
        Assert.Equal(["agendas[0].week:out-of-range"], Refusals(Valid with { Agendas = [Session(105)] }));
        Assert.Equal(["agendas[0].title:required"], Refusals(Valid with { Agendas = [Session(1, "  ")] }));
        Assert.Equal(["agendas[0].title:too-long"], Refusals(Valid with { Agendas = [Session(1, new string('x', 121))] }));
        Assert.Equal(["agendas[0].prompts[1]:required"], Refusals(Valid with { Agendas = [Session(1, "Hi", "Fine", " ")] }));
        Assert.Equal(["agendas[0].prompts[0]:too-long"], Refusals(Valid with { Agendas = [Session(1, "Hi", new string('x', 301), "Fine")] }));
        Assert.Equal(["agendas[0].activity:too-long"], Refusals(Valid with { Agendas = [Session(1) with { Activity = new string('x', 501) }] }));
        Assert.Equal(["agendas[0].title:format"], Refusals(Valid with { Agendas = [Session(1, "Hi\r\nBcc: all@example.com")] }));
        Assert.Equal(["agendas[0].prompts[0]:format"], Refusals(Valid with { Agendas = [Session(1, "Hi", "Zero\u200Bwidth", "Fine")] }));
        Assert.Equal(["agendas:out-of-range"], Refusals(Valid with { Agendas = [.. Enumerable.Range(1, 13).Select(w => Session(w))] }));
        Assert.Equal(["agendas[0].mentorPrompts:out-of-range"], Refusals(Valid with { Agendas = [Session(1) with { MentorPrompts = ["Ask", "Listen"] }] }));
        Assert.Equal(["agendas[0].menteePrompts:out-of-range"],
            Refusals(Valid with { Pairing = PairingShape.MentorMentee, Agendas = [Session(1) with { MenteePrompts = ["Only one"] }] }));
        Assert.Equal(["agendas[0]:required"], Refusals(Valid with { Agendas = [null!] }));
    }
}
