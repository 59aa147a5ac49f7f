using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Identity;
using Mentoring.Core.Common;
using Mentoring.Core.Persistence;
using Microsoft.Azure.Cosmos;

namespace Mentoring.Cosmos;

/// <summary>
/// <see cref="IDocumentStore"/> on one Cosmos DB (NoSQL) container partitioned by <c>/programId</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each document is one item <c>{ id, programId, kind, documentId, body }</c>: <c>id</c> is <see cref="CosmosItemId"/>
/// of kind and id, <c>documentId</c> the id as given, and <c>body</c> the document serialized with
/// <see cref="MentoringJson.Options"/>. Every call goes through the SDK's stream APIs and System.Text.Json, so the SDK's
/// own (Newtonsoft) serializer never sees a document and cannot reinterpret dates or enums. Cosmos stores numbers as
/// IEEE 754 doubles: integers beyond 2^53 and decimals beyond double precision do not survive, as in any JSON store
/// read by JavaScript.
/// </para>
/// <para>
/// ETags are Cosmos's own <c>_etag</c>; Replace and Delete send them as If-Match. Reads are point reads; queries always
/// carry the partition key (never cross-partition) and page with the SDK's continuation tokens, wrapped so a token is
/// tied to the query it came from. No ORDER BY and no transactional batch: the order of a page is the container's.
/// </para>
/// <para>
/// Tested against <c>@vercel/cosmosdb-server</c> over the SDK in gateway mode. Its gaps shape what this class does not
/// use: no ORDER BY (it cannot answer the SDK's query-plan request) and no transactional batch. Queries with a partition
/// key go straight to the partition without a query plan there and on the service alike. Its one bug on this path (a
/// point read of a missing item answers 500, not 404) is worked around in the test client, not here.
/// </para>
/// <para>Thread-safe. The <see cref="CosmosClient"/> belongs to the caller (one per process); call
/// <see cref="InitializeAsync"/> once at startup to create the database and container if they are missing.</para>
/// </remarks>
public sealed class CosmosDocumentStore : IDocumentStore
{
    private const string ContinuationPrefix = "c1";

    /// <summary>Cosmos's sub-status for "the database or container of this request does not exist".</summary>
    private const string OwnerResourceNotFound = "1003";

    private readonly CosmosClient _client;
    private readonly CosmosStoreOptions _options;
    private readonly Container _container;
    private readonly HashSet<string> _indexedProperties;

    public CosmosDocumentStore(CosmosClient client, CosmosStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DatabaseName) || string.IsNullOrWhiteSpace(options.ContainerName))
        {
            throw new ArgumentException("DatabaseName and ContainerName must not be empty.", nameof(options));
        }

        foreach (var property in options.IndexedProperties)
        {
            DocumentQuery.ValidatePropertyName(property);
        }

        _client = client;
        _options = options;
        _container = client.GetContainer(options.DatabaseName, options.ContainerName);
        _indexedProperties = new HashSet<string>(options.IndexedProperties, StringComparer.Ordinal);
    }

    /// <summary>
    /// A client for <paramref name="options"/>: account key from the connection string, or Entra ID on the endpoint
    /// (<see cref="CosmosStoreOptions.Credential"/>, else <c>DefaultAzureCredential</c>).
    /// </summary>
    /// <param name="clientOptions">Transport settings (connection mode, HTTP client factory, ...); SDK defaults when null.</param>
    public static CosmosClient CreateClient(CosmosStoreOptions options, CosmosClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        clientOptions ??= new CosmosClientOptions();
        return options.ConnectionString is { Length: > 0 } connectionString
            ? new CosmosClient(connectionString, clientOptions)
            : new CosmosClient(options.AccountEndpoint!.AbsoluteUri, options.Credential ?? new DefaultAzureCredential(), clientOptions);
    }

    /// <summary>
    /// The container this store expects: partition key <c>/programId</c> and an indexing policy that indexes only what
    /// queries filter on — <c>/programId/?</c>, <c>/kind/?</c> and <c>/body/{p}/?</c> for each
    /// <see cref="CosmosStoreOptions.IndexedProperties"/> — and excludes everything else (<c>/*</c>), so writes of large
    /// documents cost few RUs. Infrastructure templates that create the container should use the same policy.
    /// </summary>
    public static ContainerProperties ContainerPropertiesFor(CosmosStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new ContainerProperties(options.ContainerName, "/programId")
        {
            IndexingPolicy = new IndexingPolicy
            {
                IndexingMode = IndexingMode.Consistent,
                Automatic = true,
            },
        };
        var policy = properties.IndexingPolicy;
        policy.IncludedPaths.Add(new IncludedPath { Path = "/programId/?" });
        policy.IncludedPaths.Add(new IncludedPath { Path = "/kind/?" });
        foreach (var property in options.IndexedProperties.Distinct(StringComparer.Ordinal))
        {
            DocumentQuery.ValidatePropertyName(property);
            policy.IncludedPaths.Add(new IncludedPath { Path = $"/body/{property}/?" });
        }

        policy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }

    /// <summary>
    /// Creates the database and the container (with <see cref="ContainerPropertiesFor"/>) when missing. Call once at
    /// startup, not per request. An existing container keeps the indexing policy it has.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var database = await _client.CreateDatabaseIfNotExistsAsync(_options.DatabaseName, cancellationToken: cancellationToken);
        var container = await database.Database.CreateContainerIfNotExistsAsync(ContainerPropertiesFor(_options), cancellationToken: cancellationToken);
        var partitionKey = container.Resource.PartitionKeyPath;
        if (!string.Equals(partitionKey, "/programId", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Container '{_options.ContainerName}' is partitioned by '{partitionKey}'; this store needs '/programId'.");
        }
    }

    public async Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default)
    {
        var itemId = ItemIdOf(key);
        using var response = await _container.ReadItemStreamAsync(itemId, new PartitionKey(key.ProgramId), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            ThrowIfContainerMissing(response);
            return null;
        }

        EnsureSuccess(response);
        using var item = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
        return new StoredDocument<T>(key, BodyOf<T>(item.RootElement, key), ETagOf(response, key));
    }

    public async Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        var itemId = ItemIdOf(key);
        using var content = ItemContent(key, itemId, value);
        using var response = await _container.CreateItemStreamAsync(content, new PartitionKey(key.ProgramId), WriteOptions(null), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DocumentConflictException(key);
        }

        EnsureSuccess(response);
        return new StoredDocument<T>(key, value, ETagOf(response, key));
    }

    public async Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        var itemId = ItemIdOf(key);
        using var content = ItemContent(key, itemId, value);
        using var response = await _container.ReplaceItemStreamAsync(content, itemId, new PartitionKey(key.ProgramId), WriteOptions(ifMatch), cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                ThrowIfContainerMissing(response);
                throw new DocumentNotFoundException(key);
            case HttpStatusCode.PreconditionFailed:
                throw new DocumentPreconditionFailedException(key);
        }

        EnsureSuccess(response);
        return new StoredDocument<T>(key, value, ETagOf(response, key));
    }

    public async Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        var itemId = ItemIdOf(key);
        using var content = ItemContent(key, itemId, value);
        using var response = await _container.UpsertItemStreamAsync(content, new PartitionKey(key.ProgramId), WriteOptions(null), cancellationToken);
        EnsureSuccess(response);
        return new StoredDocument<T>(key, value, ETagOf(response, key));
    }

    public async Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var itemId = ItemIdOf(key);
        using var response = await _container.DeleteItemStreamAsync(itemId, new PartitionKey(key.ProgramId), WriteOptions(ifMatch), cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                ThrowIfContainerMissing(response);
                return false;
            case HttpStatusCode.PreconditionFailed:
                throw new DocumentPreconditionFailedException(key);
        }

        EnsureSuccess(response);
        return true;
    }

    public async Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();

        var fingerprint = Fingerprint(query);
        var sdkToken = query.ContinuationToken is null ? null : DecodeContinuation(query.ContinuationToken, fingerprint);
        var definition = QueryDefinitionOf(query);
        var partitionKey = new PartitionKey(query.ProgramId);
        var scan = query.WhereProperty is not null && !_indexedProperties.Contains(query.WhereProperty);

        var items = new List<StoredDocument<T>>(Math.Min(query.PageSize, 1000));
        do
        {
            // A fresh iterator per round asks for exactly what is missing, so a short page from the service is topped up
            // without ever overshooting PageSize.
            var requestOptions = new QueryRequestOptions
            {
                PartitionKey = partitionKey,
                MaxItemCount = query.PageSize - items.Count,
                // Filters on properties outside the indexing policy scan the program's partition instead of failing.
                EnableScanInQuery = scan ? true : null,
            };
            using var iterator = _container.GetItemQueryStreamIterator(definition, sdkToken, requestOptions);
            if (!iterator.HasMoreResults)
            {
                sdkToken = null;
                break;
            }

            ResponseMessage response;
            try
            {
                response = await iterator.ReadNextAsync(cancellationToken);
            }
            catch (Exception ex) when (query.ContinuationToken is not null && ex is CosmosException { StatusCode: HttpStatusCode.BadRequest } or JsonException or FormatException or ArgumentException)
            {
                throw InvalidContinuation(nameof(query), ex);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.BadRequest && query.ContinuationToken is not null && items.Count == 0)
                {
                    throw InvalidContinuation(nameof(query), new InvalidOperationException(response.ErrorMessage));
                }

                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    ThrowIfContainerMissing(response);
                }

                EnsureSuccess(response);
                using var page = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
                foreach (var item in page.RootElement.GetProperty("Documents").EnumerateArray())
                {
                    var key = new DocumentKey(query.ProgramId, query.Kind, item.GetProperty("documentId").GetString()
                        ?? throw new InvalidOperationException("A stored item has a null documentId."));
                    var etag = item.GetProperty("_etag").GetString()
                        ?? throw new InvalidOperationException($"Document {key} came back without an ETag.");
                    items.Add(new StoredDocument<T>(key, BodyOf<T>(item, key), etag));
                }

                sdkToken = response.ContinuationToken;
            }
        }
        while (sdkToken is not null && items.Count < query.PageSize);

        return new DocumentPage<T>(items, sdkToken is null ? null : EncodeContinuation(sdkToken, fingerprint));
    }


    /// <summary>
    /// The query of one page. The property name is validated (ASCII letters and digits) and goes in brackets, so
    /// names that are keywords of the query language ("group", "value") still work; every value is a parameter.
    /// The program id is in the WHERE clause as well as in the request's partition key: the service needs only the
    /// latter, the emulator the tests run on insists on the former, and both agree on the result.
    /// </summary>
    private static QueryDefinition QueryDefinitionOf(DocumentQuery query)
    {
        var text = new StringBuilder("SELECT c.documentId, c._etag, c.body FROM c WHERE c.programId = @programId AND c.kind = @kind");
        if (query.WhereProperty is not null)
        {
            text.Append(" AND c.body[\"").Append(query.WhereProperty).Append("\"] = @value");
        }

        var definition = new QueryDefinition(text.ToString())
            .WithParameter("@programId", query.ProgramId)
            .WithParameter("@kind", query.Kind);
        return query.WhereEquals is null ? definition : definition.WithParameter("@value", query.WhereEquals);
    }

    private static ItemRequestOptions WriteOptions(string? ifMatch) => new()
    {
        IfMatchEtag = ifMatch,
        // The caller has the value already; the ETag comes back in a header.
        EnableContentResponseOnWrite = false,
    };

    private static string ItemIdOf(DocumentKey key)
    {
        if (string.IsNullOrEmpty(key.ProgramId) || string.IsNullOrEmpty(key.Kind) || string.IsNullOrEmpty(key.Id))
        {
            throw new ArgumentException($"Document key '{key}' needs a program id, a kind and an id.", nameof(key));
        }

        return CosmosItemId.Encode(key.Kind, key.Id);
    }

    private static MemoryStream ItemContent<T>(DocumentKey key, string itemId, T value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), "A document cannot be null.");
        }

        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("id", itemId);
            writer.WriteString("programId", key.ProgramId);
            writer.WriteString("kind", key.Kind);
            writer.WriteString("documentId", key.Id);
            writer.WritePropertyName("body");
            JsonSerializer.Serialize(writer, value, MentoringJson.Options);
            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }

    private static T BodyOf<T>(JsonElement item, DocumentKey key)
    {
        if (!item.TryGetProperty("body", out var body))
        {
            throw new InvalidOperationException($"Item {key} has no body: it was not written by this store.");
        }

        return body.Deserialize<T>(MentoringJson.Options)
            ?? throw new InvalidOperationException($"Document {key} has a null body.");
    }

    private static string ETagOf(ResponseMessage response, DocumentKey key) =>
        response.Headers.ETag is { Length: > 0 } etag
            ? etag
            : throw new InvalidOperationException($"Cosmos DB returned no ETag for document {key}.");

    private void ThrowIfContainerMissing(ResponseMessage response)
    {
        if (response.Headers["x-ms-substatus"] == OwnerResourceNotFound)
        {
            throw new InvalidOperationException(
                $"Cosmos DB container '{_options.DatabaseName}/{_options.ContainerName}' does not exist; call InitializeAsync at startup.");
        }
    }

    private static void EnsureSuccess(ResponseMessage response)
    {
        // Throws the CosmosException the typed APIs would have thrown (status, sub-status, activity id, diagnostics).
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Binds a token to the query it pages, so a token from another program, kind or filter is refused.</summary>
    private static string Fingerprint(DocumentQuery query)
    {
        var text = string.Join('\0', query.ProgramId, query.Kind, query.WhereProperty ?? string.Empty, query.WhereEquals ?? string.Empty,
            query.WhereProperty is null ? "-" : "+");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }

    private static string EncodeContinuation(string sdkToken, string fingerprint) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{ContinuationPrefix}\n{fingerprint}\n{sdkToken}"));

    private static string DecodeContinuation(string token, string fingerprint)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n', 3);
            if (parts is [ContinuationPrefix, var tokenFingerprint, { Length: > 0 } sdkToken]
                && string.Equals(tokenFingerprint, fingerprint, StringComparison.Ordinal))
            {
                return sdkToken;
            }
        }
        catch (FormatException)
        {
        }

        throw InvalidContinuation(nameof(token), null);
    }

    private static ArgumentException InvalidContinuation(string paramName, Exception? inner) =>
        new("The continuation token is not one this store issued for this query.", paramName, inner);
}
