using Mentoring.Core.Persistence;
using Mentoring.Core.Windows;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Windows;

/// <summary>
/// The server's document store, except that once armed, the next <c>readers</c> reads of a decision claim wait for each
/// other before returning: every one of them sees "not decided yet", as when admins click at the same instant.
/// </summary>
public sealed class ClaimReadBarrierStore(IDocumentStore inner) : IDocumentStore
{
    private readonly Lock gate = new();
    private TaskCompletionSource? allRead;
    private int waiting;

    /// <summary>Replaces the registered <see cref="IDocumentStore"/> with this wrapper around it.</summary>
    public static void Wrap(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IDocumentStore));
        services.Remove(original);
        services.AddSingleton(sp => new ClaimReadBarrierStore(
            (IDocumentStore)(original.ImplementationInstance ?? original.ImplementationFactory!(sp))));
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<ClaimReadBarrierStore>());
    }

    /// <summary>The next <paramref name="readers"/> claim reads wait until all of them have read.</summary>
    public void Arm(int readers)
    {
        lock (gate)
        {
            waiting = readers;
            allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync<T>(key, cancellationToken);
        Task? barrier = null;
        lock (gate)
        {
            if (key.Kind == WindowDocuments.DecisionKind && allRead is { } all && waiting > 0)
            {
                barrier = all.Task;
                if (--waiting == 0)
                {
                    all.SetResult();
                    allRead = null;
                }
            }
        }
        if (barrier is not null)
        {
            await barrier.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        return read;
    }

    public Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(key, value, cancellationToken);

    public Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default) =>
        inner.ReplaceAsync(key, value, ifMatch, cancellationToken);

    public Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
        inner.UpsertAsync(key, value, cancellationToken);

    public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(key, ifMatch, cancellationToken);

    public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryAsync<T>(query, cancellationToken);
}
