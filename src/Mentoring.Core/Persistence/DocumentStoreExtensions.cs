namespace Mentoring.Core.Persistence;

public static class DocumentStoreExtensions
{
    // Each retry means another writer got in between our read and write; a handful settles any realistic race.
    public const int MaxUpdateAttempts = 64;

    /// <summary>Every document of a kind in a program, all pages. For small kinds (matches, rounds), not for participants at scale.</summary>
    public static async Task<IReadOnlyList<StoredDocument<T>>> QueryAllAsync<T>(this IDocumentStore store, string programId, string kind,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var all = new List<StoredDocument<T>>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync<T>(new DocumentQuery(programId, kind, 500, token), cancellationToken);
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    /// <summary>
    /// Read-modify-write under the document's ETag, retried when someone else wrote in between. <paramref name="change"/>
    /// returns null for "nothing to change". Returns the document as stored afterwards, or null when it does not exist.
    /// </summary>
    /// <exception cref="Common.ConflictException">It kept changing for <see cref="MaxUpdateAttempts"/> attempts.</exception>
    public static async Task<StoredDocument<T>?> UpdateAsync<T>(this IDocumentStore store, DocumentKey key, Func<T, T?> change,
        CancellationToken cancellationToken = default) where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var current = await store.ReadAsync<T>(key, cancellationToken);
            if (current is null)
            {
                return null;
            }
            if (change(current.Value) is not { } changed)
            {
                return current;
            }
            try
            {
                return await store.ReplaceAsync(key, changed, current.ETag, cancellationToken);
            }
            catch (DocumentPreconditionFailedException)
            {
                // another writer got in between: read again and reapply the change
            }
            catch (DocumentNotFoundException)
            {
                return null;
            }
        }
        throw new Common.ConflictException($"{key} kept changing while being updated; please retry.");
    }
}
