namespace Mentoring.Core.Persistence;

public static class DocumentStoreExtensions
{
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
}
