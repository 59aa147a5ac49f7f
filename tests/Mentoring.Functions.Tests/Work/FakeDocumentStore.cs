using System.Globalization;
using Mentoring.Core.Persistence;

namespace Mentoring.Functions.Tests.Work;

/// <summary>A dictionary with the store's create/replace/delete semantics (conflicts and ETags), enough for the claim documents.</summary>
internal sealed class FakeDocumentStore : IDocumentStore
{
    private readonly Dictionary<DocumentKey, (object Value, string ETag)> _documents = [];
    private int _version;

    public IReadOnlyCollection<DocumentKey> Keys => _documents.Keys;

    public T? Get<T>(DocumentKey key) where T : class => _documents.TryGetValue(key, out var d) ? (T)d.Value : null;

    public Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_documents.TryGetValue(key, out var d) ? new StoredDocument<T>(key, (T)d.Value, d.ETag) : null);

    public Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
        _documents.ContainsKey(key) ? throw new DocumentConflictException(key) : Task.FromResult(Write(key, value));

    public Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default) =>
        !_documents.TryGetValue(key, out var d) ? throw new DocumentNotFoundException(key)
        : d.ETag != ifMatch ? throw new DocumentPreconditionFailedException(key)
        : Task.FromResult(Write(key, value));

    public Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
        Task.FromResult(Write(key, value));

    public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        if (!_documents.TryGetValue(key, out var d))
        {
            return Task.FromResult(false);
        }

        if (ifMatch is not null && d.ETag != ifMatch)
        {
            throw new DocumentPreconditionFailedException(key);
        }

        return Task.FromResult(_documents.Remove(key));
    }

    public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    private StoredDocument<T> Write<T>(DocumentKey key, T value)
    {
        var etag = (++_version).ToString(CultureInfo.InvariantCulture);
        _documents[key] = (value!, etag);
        return new StoredDocument<T>(key, value, etag);
    }
}
