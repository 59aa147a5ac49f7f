using Mentoring.Core.Windows;
using Mentoring.Functions.Windows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Moq;

namespace Mentoring.Functions.Tests.Windows;

public sealed class DurableWindowHostTests
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly WindowOpened Opened = new("prog", "w1", T0.AddDays(7), ScriptedOrchestration.Timings, false, T0);

    private readonly Mock<DurableTaskClient> _client = new("test");

    private void Instance(string instanceId, OrchestrationMetadata? metadata) =>
        _client.Setup(c => c.GetInstanceAsync(instanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(metadata);

    [Fact]
    public async Task Starting_schedules_the_orchestrator_under_program_colon_window()
    {
        Instance("prog:w1", null);
        StartOrchestrationOptions? options = null;
        object? input = null;
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(),
                It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? i, StartOrchestrationOptions? o, CancellationToken _) => (input, options) = (i, o))
            .ReturnsAsync("prog:w1");

        Assert.True(await new DurableWindowHost(_client.Object).StartAsync(Opened));

        Assert.Equal("prog:w1", options!.InstanceId);
        Assert.Equal(Opened, Assert.Single(WindowWire.ReadRun((string)input!).Inbox));
        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == MatchingWindowOrchestration.Orchestrator), It.IsAny<object?>(),
            It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Starting_asks_the_backend_to_refuse_an_existing_instance_in_any_status()
    {
        StartOrchestrationOptions? options = null;
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(),
                It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => options = o)
            .ThrowsAsync(new DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException("exists"));

        Assert.False(await new DurableWindowHost(_client.Object).StartAsync(Opened));

        // Completed, failed and terminated too: a finished window is still this window and must not start over.
        Assert.Equal(["Completed", "Failed", "Pending", "Running", "Suspended", "Terminated"], options!.DedupeStatuses!.Order());
        _client.Verify(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Events_travel_as_one_envelope_that_keeps_the_draft_version()
    {
        string? payload = null;
        _client.Setup(c => c.RaiseEventAsync("prog:w1", MatchingWindowOrchestration.EventName, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object? p, CancellationToken _) => payload = (string?)p)
            .Returns(Task.CompletedTask);

        await new DurableWindowHost(_client.Object).RaiseAsync("prog", "w1", new DecisionReceived(3, DecisionAction.Approve, "hr@example.com", T0));

        var decision = Assert.IsType<DecisionReceived>(WindowWire.ReadEvent(payload));
        Assert.Equal(3, decision.Version);
    }

    [Fact]
    public async Task The_state_is_the_orchestrators_custom_status()
    {
        var state = MatchingWindowDecider.Decide(MatchingWindowDecider.Decide(null, Opened).State, new CloseRequested("admin", T0)).State!;
        Instance("prog:w1", new OrchestrationMetadata(MatchingWindowOrchestration.Orchestrator, "prog:w1")
        {
            DataConverter = JsonDataConverter.Default,
            SerializedCustomStatus = JsonDataConverter.Default.Serialize(WindowWire.Status(state)),
            SerializedInput = JsonDataConverter.Default.Serialize(WindowWire.Write(new WindowRun(null, [Opened]))),
        });

        var read = await new DurableWindowHost(_client.Object).GetAsync("prog", "w1");

        Assert.Equal(WindowPhase.Drafting, read!.Phase);
        Assert.Equal(1, read.DraftVersion);
    }

    [Fact]
    public async Task A_window_whose_orchestrator_has_not_run_yet_shows_what_its_input_will_make()
    {
        Instance("prog:w1", new OrchestrationMetadata(MatchingWindowOrchestration.Orchestrator, "prog:w1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Pending,
            DataConverter = JsonDataConverter.Default,
            SerializedInput = JsonDataConverter.Default.Serialize(WindowWire.Write(new WindowRun(null, [Opened]))),
        });

        var read = await new DurableWindowHost(_client.Object).GetAsync("prog", "w1");

        Assert.Equal(WindowPhase.Open, read!.Phase);
        Assert.Equal(Opened.ClosesAt, read.ClosesAt);
    }

    [Fact]
    public async Task An_unknown_window_has_no_state()
    {
        Instance("prog:nope", null);

        Assert.Null(await new DurableWindowHost(_client.Object).GetAsync("prog", "nope"));
    }

    [Fact]
    public void A_long_decision_history_still_fits_in_the_custom_status()
    {
        var state = MatchingWindowDecider.Decide(null, Opened).State! with
        {
            Decisions = [.. Enumerable.Range(1, 40).Select(v => new DecisionRecord(v, DecisionAction.Reject, "hr@example.com", T0, new string('x', 2000), null, null))],
        };

        var status = WindowWire.Status(state);

        Assert.True(status.Length <= WindowWire.MaxStatusChars);
        Assert.Equal(40, WindowWire.ReadStatus(status)!.Decisions[^1].Version);
    }
}
