namespace Mentoring.Core.Persistence;

/// <summary>
/// Addresses one document: the partition (program), the document kind and its id within that kind.
/// Shaped after a Cosmos DB container partitioned by program id.
/// </summary>
public readonly record struct DocumentKey(string ProgramId, string Kind, string Id)
{
    public override string ToString() => $"{ProgramId}/{Kind}/{Id}";
}

/// <summary>A document as stored, with the ETag that guards the next write.</summary>
public sealed record StoredDocument<T>(DocumentKey Key, T Value, string ETag);

public sealed record DocumentPage<T>(IReadOnlyList<StoredDocument<T>> Items, string? ContinuationToken);

/// <summary>
/// Documents of one kind in one program, optionally only those whose top-level JSON property
/// <paramref name="WhereProperty"/> equals <paramref name="WhereEquals"/>.
/// </summary>
public sealed record DocumentQuery(
    string ProgramId,
    string Kind,
    int PageSize = 100,
    string? ContinuationToken = null,
    string? WhereProperty = null,
    string? WhereEquals = null)
{
    public const int MaxPropertyNameLength = 64;

    /// <summary>The checks every store makes before running a query (the property name ends up in query text).</summary>
    /// <exception cref="ArgumentException"/>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ProgramId, nameof(ProgramId));
        ArgumentException.ThrowIfNullOrEmpty(Kind, nameof(Kind));
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        if ((WhereProperty is null) != (WhereEquals is null))
        {
            throw new ArgumentException("WhereProperty and WhereEquals go together.", nameof(WhereProperty));
        }
        if (WhereProperty is not null)
        {
            ValidatePropertyName(WhereProperty);
        }
    }

    /// <summary>ASCII letters and digits, starting with a letter: safe to place in SQL or Cosmos query text.</summary>
    /// <exception cref="ArgumentException"/>
    public static void ValidatePropertyName(string property)
    {
        if (property is null || property.Length is 0 or > MaxPropertyNameLength || !char.IsAsciiLetter(property[0])
            || !property.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException(
                $"'{property}' is not a filterable property name: ASCII letters and digits, starting with a letter.", nameof(property));
        }
    }
}

/// <summary>
/// The persistence port: a document store partitioned by program, with ETag optimistic concurrency.
/// Every implementation runs the same contract test suite.
/// </summary>
public interface IDocumentStore
{
    Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default);

    /// <exception cref="DocumentConflictException">A document with this key exists.</exception>
    Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default);

    /// <exception cref="DocumentPreconditionFailedException">The stored ETag differs from <paramref name="ifMatch"/>.</exception>
    /// <exception cref="DocumentNotFoundException">No document with this key.</exception>
    Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default);

    Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default);

    /// <returns>False when there was nothing to delete.</returns>
    /// <exception cref="DocumentPreconditionFailedException">An <paramref name="ifMatch"/> was given and differs.</exception>
    Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <exception cref="ArgumentException">The continuation token is not one this store issued.</exception>
    Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default);
}

public class DocumentStoreException(string message) : Exception(message);

public sealed class DocumentConflictException(DocumentKey key)
    : DocumentStoreException($"Document {key} already exists.")
{
    public DocumentKey Key { get; } = key;
}

public sealed class DocumentPreconditionFailedException(DocumentKey key)
    : DocumentStoreException($"Document {key} has changed since it was read.")
{
    public DocumentKey Key { get; } = key;
}

public sealed class DocumentNotFoundException(DocumentKey key)
    : DocumentStoreException($"Document {key} does not exist.")
{
    public DocumentKey Key { get; } = key;
}
