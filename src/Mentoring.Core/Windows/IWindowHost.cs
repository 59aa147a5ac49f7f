namespace Mentoring.Core.Windows;

/// <summary>
/// The workflow-host port: runs one matching-window instance per (program, window) by interpreting
/// <see cref="MatchingWindowDecider"/>. The embedded runner and Durable Functions both implement it; the contract suite (tests/Mentoring.Contracts) runs on both (Durable on the in-process Durable Task engine).
/// </summary>
public interface IWindowHost
{
    /// <summary>Starts the instance; returns false (and changes nothing) when it already exists.</summary>
    Task<bool> StartAsync(WindowOpened opened, CancellationToken cancellationToken = default);

    /// <summary>Delivers an event to the instance. Delivery is at least once; the decider refuses what does not apply.</summary>
    Task RaiseAsync(string programId, string windowId, WindowEvent windowEvent, CancellationToken cancellationToken = default);

    Task<WindowState?> GetAsync(string programId, string windowId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WindowState>> ListAsync(string programId, CancellationToken cancellationToken = default);
}

/// <summary>Executes the commands that touch the outside world (activities). Returns the event a command reports back, if any.</summary>
public interface IWindowActivities
{
    Task<WindowEvent?> ExecuteAsync(WindowState state, WindowCommand command, CancellationToken cancellationToken = default);
}
