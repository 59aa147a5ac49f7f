using Mentoring.Core.Common;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Windows;

/// <summary>A window as admins see it: its state and the draft currently on the table.</summary>
public sealed record WindowView(WindowState State, StoredDraft? CurrentDraft);

/// <summary>Admin use cases for matching windows: open, close now, cancel, read. The workflow host does the rest.</summary>
public sealed class WindowDesk(ProgramCatalog programs, IWindowHost host, IDocumentStore store, TimeProvider clock)
{
    /// <summary>Opens a window closing at <paramref name="closesAt"/> (now when absent). Opening the same window again changes nothing.</summary>
    public async Task<(WindowView View, bool Created)> OpenAsync(string programId, DateTimeOffset? closesAt, CancellationToken cancellationToken = default)
    {
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        var now = clock.GetUtcNow();
        var closing = closesAt ?? now;
        if (closing > now.AddYears(2))
        {
            throw new ValidationFailedException("closesAt", Rules.OutOfRange, "A window closes within two years.");
        }
        var opened = WindowOpening.For(program, closing < now ? now : closing, now);
        var created = await host.StartAsync(opened, cancellationToken);
        return (await GetAsync(programId, opened.WindowId, cancellationToken), created);
    }

    public async Task<WindowView> CloseAsync(string programId, string windowId, string by, CancellationToken cancellationToken = default)
    {
        var state = await StateAsync(programId, windowId, cancellationToken);
        if (state.Phase != WindowPhase.Open)
        {
            throw new ConflictException($"The window is {MatchingWindowDecider.Describe(state.Phase)}; only an open window can be closed.");
        }
        await host.RaiseAsync(programId, windowId, new CloseRequested(by, clock.GetUtcNow()), cancellationToken);
        return await GetAsync(programId, windowId, cancellationToken);
    }

    public async Task<WindowView> CancelAsync(string programId, string windowId, string by, string? reason, CancellationToken cancellationToken = default)
    {
        var state = await StateAsync(programId, windowId, cancellationToken);
        if (state.IsFinished || state.Phase is WindowPhase.Publishing or WindowPhase.Introducing)
        {
            throw new ConflictException($"The window is {MatchingWindowDecider.Describe(state.Phase)}; it can no longer be cancelled.");
        }
        await host.RaiseAsync(programId, windowId, new CancelRequested(by, clock.GetUtcNow(), reason), cancellationToken);
        return await GetAsync(programId, windowId, cancellationToken);
    }

    public async Task<WindowView> GetAsync(string programId, string windowId, CancellationToken cancellationToken = default)
    {
        var state = await StateAsync(programId, windowId, cancellationToken);
        var draft = state.DraftVersion == 0 ? null
            : (await store.ReadAsync<StoredDraft>(WindowDocuments.Draft(programId, windowId, state.DraftVersion), cancellationToken))?.Value;
        return new WindowView(state, draft);
    }

    public async Task<IReadOnlyList<WindowState>> ListAsync(string programId, CancellationToken cancellationToken = default)
    {
        await programs.GetAsync(programId, cancellationToken);
        return await host.ListAsync(programId, cancellationToken);
    }

    private async Task<WindowState> StateAsync(string programId, string windowId, CancellationToken cancellationToken)
    {
        await programs.GetAsync(programId, cancellationToken);
        return await host.GetAsync(programId, windowId, cancellationToken) ?? throw new NotFoundException($"Window '{windowId}'");
    }
}
