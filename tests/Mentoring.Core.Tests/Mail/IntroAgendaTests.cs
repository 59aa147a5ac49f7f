using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Programs;
using static Mentoring.Core.Tests.Mail.MailFixtures;

namespace Mentoring.Core.Tests.Mail;

/// <summary>The intro carries session 1 of the program's agenda: what to talk about when the pair first meets.</summary>
public sealed class IntroAgendaTests
{
    private static MailMessage Intro(MentoringProgram program) =>
        IntroMail.Build(IntroMailInput.ForPair(program, "w1", Draft().Pairs[0], At))[0];

    [Fact]
    public void The_intro_carries_the_first_session_of_the_built_in_agenda_with_the_cadence()
    {
        var mail = Intro(Program());

        Assert.Contains("YOUR FIRST SESSION: GETTING TO KNOW EACH OTHER", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("What would make these conversations worth your time?", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Try this together: Each of you names one goal", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Agree how often to meet for the length of this cohort", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Setting goals", mail.TextBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_program_s_own_first_session_replaces_the_built_in_one()
    {
        var program = Program() with
        {
            Agendas =
            [
                new AgendaSession { Week = 1, Title = "Coffee <first>", Prompts = ["Where did you grow up?", "What are you reading?"] },
                new AgendaSession { Week = 4, Title = "Later", Prompts = ["Not yet", "Not yet either"] },
            ],
        };

        var mail = Intro(program);

        Assert.Contains("YOUR FIRST SESSION: COFFEE <FIRST>", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Coffee &lt;first&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("What are you reading?", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Not yet either", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Getting to know each other", mail.TextBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_program_without_agendas_keeps_the_plain_first_session_advice()
    {
        var mail = Intro(Program() with { Agendas = [] });

        Assert.Contains("YOUR FIRST SESSION (ABOUT 30 MINUTES)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Introduce yourselves and share one or two goals", mail.TextBody, StringComparison.Ordinal);
    }
}
