using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using static Mentoring.Core.Tests.Engagement.CheckIns.CheckInFixture;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>Each check-in nudge carries what to talk about next: the session of the program's agenda for that week.</summary>
public sealed class CheckInAgendaTests : IDisposable
{
    private readonly CheckInFixture f = new();

    public void Dispose() => f.Dispose();

    private async Task PairAsync(IReadOnlyList<AgendaSession>? agendas = null)
    {
        await f.AddProgramAsync(new EngagementPolicy { CheckInEveryDays = 14, ProgramLengthDays = 90 });
        if (agendas is not null)
        {
            var stored = (await f.Store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(ProgramId)))!.Value;
            await f.Store.UpsertAsync(ProgramCatalog.KeyOf(ProgramId), stored with { Agendas = agendas });
        }
        await f.AddPeopleAsync("ana", "bo");
        await f.AddMatchAsync(0, Start, "ana", "bo");
    }

    [Fact]
    public async Task Nudges_walk_the_built_in_agenda_from_goals_to_networking_to_the_wrap_up()
    {
        await PairAsync();

        await f.TickAsync(Day(14));
        await f.TickAsync(Day(42));
        await f.TickAsync(Day(84));

        var bodies = f.Mailer.To("ana@example.com").Select(m => m.TextBody).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.Contains("For your next session: Setting goals", bodies[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("What is one small step you can take before you next meet?", bodies[0], StringComparison.Ordinal);
        Assert.Contains("For your next session: Widening your network", bodies[1], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("For your next session: Looking back and ahead", bodies[2], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Try this together: Thank each other", bodies[2], StringComparison.Ordinal);
        Assert.Contains("For your next session: Setting goals", f.Mailer.To("bo@example.com")[0].TextBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_program_s_own_session_reaches_the_nudge_encoded_and_an_empty_agenda_sends_none()
    {
        await PairAsync([new AgendaSession { Week = 1, Title = "Coffee <& cake>", Prompts = ["Where did you grow up?", "What are you reading?"] }]);

        await f.TickAsync(Day(14));

        var mail = f.Mailer.To("ana@example.com").Single();
        Assert.Contains("For your next session: Coffee <& cake>", mail.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Coffee &lt;&amp; cake&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("What are you reading?", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_switched_agendas_off_sends_nudges_without_one()
    {
        await PairAsync([]);

        await f.TickAsync(Day(14));

        var mail = f.Mailer.To("ana@example.com").Single();
        Assert.DoesNotContain("For your next session", mail.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("We met (30 minutes)", mail.TextBody, StringComparison.Ordinal);
    }
}
