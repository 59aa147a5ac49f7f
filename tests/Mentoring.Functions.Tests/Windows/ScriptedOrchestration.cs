using Mentoring.Core.Windows;
using Mentoring.Functions.Windows;
using Microsoft.DurableTask;
using Moq;

namespace Mentoring.Functions.Tests.Windows;

/// <summary>
/// A mocked <see cref="TaskOrchestrationContext"/> the test drives: activities answer at once like the real ones would,
/// raised events and timers are pending tasks the test completes. The orchestrator runs synchronously up to the next
/// pending wait, so a test sees each step without sleeping.
/// </summary>
internal sealed class ScriptedOrchestration
{
    public static readonly DateTime T0 = new(2027, 3, 1, 9, 0, 0, DateTimeKind.Utc);
    public static readonly WindowTimings Timings = new(TimeSpan.FromHours(48), 1, TimeSpan.FromDays(28));
    private static readonly DraftSummary Summary = new(4, 4, 0, 2, 0, 0, 100, 50, 40, true);

    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Strict);
    private TaskCompletionSource<string>? _raised;
    private (DateTime At, TaskCompletionSource Fired, CancellationToken Token)? _timer;

    public ScriptedOrchestration(string input)
    {
        Now = T0;
        _context.Setup(c => c.GetInput<string>()).Returns(input);
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(status => Status = WindowWire.ReadStatus((string?)status));
        _context.Setup(c => c.CallActivityAsync<string?>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? options) => Task.FromResult(Activity(name, (string)input!, options)));
        _context.Setup(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? _) =>
            {
                StartedWindows.Add((name.Name, WindowWire.ReadEvent((string)input!)!));
                return Task.FromResult(true);
            });
        _context.Setup(c => c.WaitForExternalEvent<string>(MatchingWindowOrchestration.EventName, It.IsAny<CancellationToken>()))
            .Returns((string _, CancellationToken token) =>
            {
                EventWaitTokens.Add(token);
                _raised = new TaskCompletionSource<string>();
                return _raised.Task;
            });
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime at, CancellationToken token) =>
            {
                var fired = new TaskCompletionSource();
                _timer = (at, fired, token);
                TimersCreated.Add(at);
                return fired.Task;
            });
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object>(), It.IsAny<bool>()))
            .Callback<object, bool>((next, _) => ContinuedWith = (string)next);
        Run = MatchingWindowOrchestration.RunAsync(_context.Object);
    }

    public static string Start(WindowTimings? timings = null) =>
        WindowWire.Write(new WindowRun(null, [new WindowOpened("prog", "w1", new DateTimeOffset(T0.AddDays(7)), timings ?? Timings, false,
            new DateTimeOffset(T0))]));

    public DateTime Now { get; private set; }
    public Task<string?> Run { get; }
    public WindowState? Status { get; private set; }
    public string? ContinuedWith { get; private set; }
    public List<WindowCommand> Executed { get; } = [];
    public List<TaskOptions?> ActivityOptions { get; } = [];
    public List<DateTime> TimersCreated { get; } = [];
    public List<CancellationToken> EventWaitTokens { get; } = [];
    public List<(string Activity, WindowEvent Opened)> StartedWindows { get; } = [];
    public DateTime? PendingTimer => _timer is { Fired.Task.IsCompleted: false } t ? t.At : null;
    public CancellationToken? PendingTimerToken => _timer?.Token;

    /// <summary>What Durable would deliver for a RaiseEventAsync: the JSON envelope.</summary>
    public void Raise(WindowEvent windowEvent)
    {
        Assert.NotNull(_raised);
        _raised.SetResult(WindowWire.Write(windowEvent));
    }

    /// <summary>A raised event whose payload is whatever a client sent.</summary>
    public void RaiseRaw(string payload)
    {
        Assert.NotNull(_raised);
        _raised.SetResult(payload);
    }

    /// <summary>The pending durable timer fires; the orchestration's clock is then the timer's due time.</summary>
    public void FireTimer()
    {
        var timer = _timer ?? throw new InvalidOperationException("No timer is pending.");
        Now = timer.At;
        timer.Fired.SetResult();
    }

    private string? Activity(TaskName name, string input, TaskOptions? options)
    {
        Assert.Equal(MatchingWindowOrchestration.RunCommandActivity, name.Name);
        var step = WindowWire.ReadStep(input);
        Executed.Add(step.Command);
        ActivityOptions.Add(options);
        var at = new DateTimeOffset(Now);
        WindowEvent? reported = step.Command switch
        {
            ComputeDraft c => new DraftComputed(c.Version, Summary, at),
            PublishPairs c => new PairsPublished(c.Version, 2, at),
            MailIntros c => new IntrosSent(c.Version, 2, at),
            OpenNextWindow c => new WindowOpened(step.State.ProgramId, WindowOpening.WindowIdFor(c.ClosesAt), c.ClosesAt, step.State.Timings, true, at),
            _ => null,
        };
        return reported is null ? null : WindowWire.Write(reported);
    }
}
