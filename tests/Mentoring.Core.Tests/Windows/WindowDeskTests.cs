using Mentoring.Core.Common;
using Mentoring.Core.Mail;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

/// <summary>What an admin does with matching windows (open, close now, cancel, read), on the embedded runner.</summary>
public sealed class WindowDeskTests : IAsyncLifetime, IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    private readonly EmbeddedProgram program = new();

    public async Task InitializeAsync()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(6);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => program.Dispose();

    private WindowDesk Desk => program.Windows;
    private DateTimeOffset Now => program.Clock.GetUtcNow();

    [Fact]
    public async Task A_window_opened_without_a_closing_time_closes_at_once_and_mails_draft_v1_to_every_admin()
    {
        var (view, created) = await Desk.OpenAsync(Spring, closesAt: null);

        Assert.True(created);
        Assert.Equal(WindowOpening.WindowIdFor(Now), view.State.WindowId);
        Assert.Equal((WindowPhase.AwaitingDecision, 1, Now), (view.State.Phase, view.State.DraftVersion, view.State.ClosedAt));
        Assert.Equal(1, view.CurrentDraft!.Version);
        Assert.Equal(6, view.CurrentDraft.Draft.Stats.People);
        var drafts = program.Mailer.OfCategory(MailCategories.Draft);
        Assert.Equal(EmbeddedProgram.Admins, drafts.Select(m => Assert.Single(m.To).Email).Order());
    }

    [Fact]
    public async Task Opening_the_same_window_twice_is_one_window_that_waits_for_its_closing_time()
    {
        var closes = Now.AddDays(7);

        var (first, created) = await Desk.OpenAsync(Spring, closes);
        var (second, createdAgain) = await Desk.OpenAsync(Spring, closes);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal((first.State.WindowId, first.State.OpenedAt), (second.State.WindowId, second.State.OpenedAt));
        Assert.Equal((WindowPhase.Open, 0, closes), (second.State.Phase, second.State.DraftVersion, second.State.ClosesAt));
        Assert.Null(second.CurrentDraft);
        Assert.Single(await Desk.ListAsync(Spring));
        Assert.Empty(program.Mailer.Sent);
    }

    [Fact]
    public async Task A_window_closes_by_itself_when_its_closing_time_comes()
    {
        var (view, _) = await Desk.OpenAsync(Spring, Now.AddDays(7));

        await program.PassAsync(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(WindowPhase.Open, (await program.StateAsync(view.State.WindowId))!.Phase);
        await program.PassAsync(TimeSpan.FromSeconds(1));

        var closed = await Desk.GetAsync(Spring, view.State.WindowId);
        Assert.Equal(WindowPhase.AwaitingDecision, closed.State.Phase);
        Assert.Equal(1, closed.CurrentDraft!.Version);
    }

    [Fact]
    public async Task A_closing_time_in_the_past_closes_the_window_now()
    {
        var (view, created) = await Desk.OpenAsync(Spring, Now.AddDays(-3));

        Assert.True(created);
        Assert.Equal(WindowOpening.WindowIdFor(Now), view.State.WindowId);
        Assert.Equal(Now, view.State.ClosesAt);
        Assert.Equal(WindowPhase.AwaitingDecision, view.State.Phase);
    }

    [Fact]
    public async Task A_window_may_close_up_to_two_years_ahead_and_no_later()
    {
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Desk.OpenAsync(Spring, Now.AddYears(2).AddMinutes(1)));
        var error = Assert.Single(refused.Errors);
        Assert.Equal(("closesAt", Rules.OutOfRange, "A window closes within two years."), (error.Field, error.Rule, error.Detail));
        Assert.Empty(await Desk.ListAsync(Spring));

        var (view, _) = await Desk.OpenAsync(Spring, Now.AddYears(2));
        Assert.Equal(WindowPhase.Open, view.State.Phase);
    }

    [Fact]
    public async Task Closing_an_open_window_early_drafts_at_once_and_a_second_close_is_refused()
    {
        var (view, _) = await Desk.OpenAsync(Spring, Now.AddDays(7));
        program.Clock.Advance(TimeSpan.FromHours(1));

        var closed = await Desk.CloseAsync(Spring, view.State.WindowId, "hr@example.com");

        Assert.Equal((WindowPhase.AwaitingDecision, Now), (closed.State.Phase, closed.State.ClosedAt));
        Assert.NotNull(closed.CurrentDraft);
        var again = await Assert.ThrowsAsync<ConflictException>(() => Desk.CloseAsync(Spring, view.State.WindowId, "hr@example.com"));
        Assert.Equal("The window is waiting for a decision; only an open window can be closed.", again.Message);
    }

    [Fact]
    public async Task Cancelling_a_window_waiting_for_a_decision_ends_it_without_mailing_anyone()
    {
        var (view, _) = await Desk.OpenAsync(Spring, closesAt: null);
        var before = program.Mailer.Sent.Count;

        var cancelled = await Desk.CancelAsync(Spring, view.State.WindowId, "hr@example.com", "wrong date");

        Assert.Equal((WindowPhase.Cancelled, Now), (cancelled.State.Phase, cancelled.State.FinishedAt));
        Assert.Equal(before, program.Mailer.Sent.Count);
        var again = await Assert.ThrowsAsync<ConflictException>(() => Desk.CancelAsync(Spring, view.State.WindowId, "hr@example.com", null));
        Assert.Equal("The window is cancelled; it can no longer be cancelled.", again.Message);
        await Assert.ThrowsAsync<ConflictException>(() => Desk.CloseAsync(Spring, view.State.WindowId, "hr@example.com"));
    }

    [Fact]
    public async Task An_open_window_can_be_cancelled_before_it_closes()
    {
        var (view, _) = await Desk.OpenAsync(Spring, Now.AddDays(7));

        var cancelled = await Desk.CancelAsync(Spring, view.State.WindowId, "hr@example.com", null);

        Assert.Equal(WindowPhase.Cancelled, cancelled.State.Phase);
        await program.PassAsync(TimeSpan.FromDays(8));
        Assert.Equal(WindowPhase.Cancelled, (await program.StateAsync(view.State.WindowId))!.Phase);
        Assert.Empty(program.Mailer.Sent);
    }

    [Theory]
    [InlineData(true, "publishing its pairs")]
    [InlineData(false, "sending intros")]
    public async Task An_approved_window_can_no_longer_be_cancelled(bool publishFails, string phase)
    {
        var (view, _) = await Desk.OpenAsync(Spring, closesAt: null);
        program.Activities.Fails = c => publishFails ? c is PublishPairs : c is MailIntros;
        await program.Host.RaiseAsync(Spring, view.State.WindowId, new DecisionReceived(1, DecisionAction.Approve, "hr@example.com", Now));

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Desk.CancelAsync(Spring, view.State.WindowId, "hr@example.com", null));

        Assert.Equal($"The window is {phase}; it can no longer be cancelled.", refused.Message);
        Assert.NotEqual(WindowPhase.Cancelled, (await program.StateAsync(view.State.WindowId))!.Phase);
    }

    [Fact]
    public async Task Windows_of_an_unknown_program_or_an_unknown_window_are_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Desk.ListAsync("autumn"));
        await Assert.ThrowsAsync<NotFoundException>(() => Desk.OpenAsync("autumn", null));
        await Assert.ThrowsAsync<NotFoundException>(() => Desk.GetAsync(Spring, "w-20270101-0000"));
        await Assert.ThrowsAsync<NotFoundException>(() => Desk.CloseAsync(Spring, "w-20270101-0000", "hr@example.com"));
        await Assert.ThrowsAsync<NotFoundException>(() => Desk.CancelAsync(Spring, "w-20270101-0000", "hr@example.com", null));
        var (view, _) = await Desk.OpenAsync(Spring, Now.AddDays(1));
        // The admin is told which of the two is missing.
        Assert.Equal("Program 'autumn' was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => Desk.GetAsync("autumn", view.State.WindowId))).Message);
        Assert.Equal("Window 'w-20270101-0000' was not found.",
            (await Assert.ThrowsAsync<NotFoundException>(() => Desk.GetAsync(Spring, "w-20270101-0000"))).Message);
    }

    [Fact]
    public async Task The_current_draft_is_the_newest_version()
    {
        var (view, _) = await Desk.OpenAsync(Spring, closesAt: null);
        await program.Host.RaiseAsync(Spring, view.State.WindowId, new DecisionReceived(1, DecisionAction.Rerun, "hr@example.com", Now));

        var current = await Desk.GetAsync(Spring, view.State.WindowId);

        Assert.Equal((2, 2), (current.State.DraftVersion, current.CurrentDraft!.Version));
    }
}
