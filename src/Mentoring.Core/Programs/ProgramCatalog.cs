using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Persistence;

namespace Mentoring.Core.Programs;

/// <summary>Create, read and replace programs. Program documents live in their own partition.</summary>
public sealed class ProgramCatalog(IDocumentStore store, TimeProvider clock)
{
    /// <summary>How long <see cref="GetRecentAsync"/> may answer from memory.</summary>
    public static readonly TimeSpan RecentFor = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, RecentProgram> _recent = new(StringComparer.Ordinal);
    private long _changes;

    public static DocumentKey KeyOf(string programId) => new(programId, DocumentKinds.Program, programId);

    /// <summary>
    /// Timers visit every program. Rather than a cross-partition query on every store, each program leaves a small
    /// reference in one catalog partition; listing programs is then one ordinary partition query.
    /// </summary>
    public const string CatalogPartition = "_catalog";

    private static DocumentKey RefOf(string programId) => new(CatalogPartition, DocumentKinds.ProgramRef, programId);

    public sealed record ProgramRef(string ProgramId, DateTimeOffset CreatedAt);

    public async Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken = default) =>
        [.. (await store.QueryAllAsync<ProgramRef>(CatalogPartition, DocumentKinds.ProgramRef, cancellationToken)).Select(r => r.Value.ProgramId)];

    public async Task<StoredDocument<MentoringProgram>> CreateAsync(ProgramDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var id = definition.Id ?? Slug(definition.Name ?? "");
        var secrets = definition.WebhookSecrets ?? [NewSecret()];
        var now = clock.GetUtcNow();
        var program = ProgramValidator.Validate(definition, id, secrets, now, now);
        // The reference first: a crash in between leaves a reference to nothing (timers skip it), never a program timers miss.
        await store.UpsertAsync(RefOf(program.Id), new ProgramRef(program.Id, now), cancellationToken);
        try
        {
            var created = await store.CreateAsync(KeyOf(program.Id), program, cancellationToken);
            Forget(program.Id);
            return created;
        }
        catch (DocumentConflictException)
        {
            throw new ConflictException($"A program with id '{program.Id}' already exists; choose another id or update it with PUT.");
        }
    }

    public async Task<StoredDocument<MentoringProgram>> GetAsync(string programId, CancellationToken cancellationToken = default)
    {
        if (!ProgramValidator.ProgramIdPattern().IsMatch(programId))
        {
            throw new NotFoundException($"Program '{programId}'");
        }
        return await store.ReadAsync<MentoringProgram>(KeyOf(programId), cancellationToken)
            ?? throw new NotFoundException($"Program '{programId}'");
    }

    /// <summary>Replaces the program if <paramref name="ifMatch"/> is its current ETag. Omitted webhook secrets are kept.</summary>
    public async Task<StoredDocument<MentoringProgram>> ReplaceAsync(string programId, ProgramDefinition definition, string ifMatch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var current = await GetAsync(programId, cancellationToken);
        if (definition.Id is not null && definition.Id != programId)
        {
            throw new ValidationFailedException("id", Rules.Format, $"The body's id '{definition.Id}' differs from the URL's '{programId}'; ids cannot change.");
        }
        if (!IfMatches(ifMatch, current.ETag))
        {
            throw new StaleETagException($"Program '{programId}'");
        }
        var program = ProgramValidator.Validate(definition, programId, definition.WebhookSecrets ?? current.Value.WebhookSecrets,
            current.Value.CreatedAt, clock.GetUtcNow());
        try
        {
            // The version we checked: a change between that read and this write is still a lost update (412).
            var replaced = await store.ReplaceAsync(KeyOf(programId), program, current.ETag, cancellationToken);
            Forget(programId);
            return replaced;
        }
        catch (DocumentPreconditionFailedException)
        {
            throw new StaleETagException($"Program '{programId}'");
        }
    }

    /// <summary>
    /// RFC 9110 If-Match: <c>*</c> matches any current version; otherwise one of the listed entity tags must equal the
    /// current one by strong comparison (a weak tag, <c>W/"..."</c>, never matches).
    /// </summary>
    public static bool IfMatches(string ifMatch, string currentETag)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        return ifMatch.Trim() == "*"
            || ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(currentETag, StringComparer.Ordinal);
    }

    /// <summary>
    /// Like <see cref="GetAsync"/>, but may answer with a copy read up to <see cref="RecentFor"/> ago: for hot paths that
    /// read the program on every request (webhook signups). Never use it to decide a write to the program itself.
    /// </summary>
    /// <remarks>
    /// This instance forgets its copy as soon as it creates or replaces the program, so here a change applies at once.
    /// Other instances of the server (several processes on one database, a scaled-out deployment) keep serving their
    /// copy until it expires: a changed registration window, field map or questionnaire, or a rotated (removed) webhook
    /// secret, takes up to <see cref="RecentFor"/> to apply there. Rotate secrets by adding the new one first.
    /// Missing programs are not remembered.
    /// </remarks>
    public async Task<StoredDocument<MentoringProgram>> GetRecentAsync(string programId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(programId);
        if (_recent.TryGetValue(programId, out var recent))
        {
            var now = clock.GetUtcNow();
            if (now < recent.Expires && now >= recent.Expires - RecentFor) // and the clock did not step back
            {
                return recent.Program;
            }
        }

        var changes = Volatile.Read(ref _changes);
        var program = await GetAsync(programId, cancellationToken);
        var entry = new RecentProgram(program, clock.GetUtcNow() + RecentFor);
        _recent[programId] = entry;
        if (Volatile.Read(ref _changes) != changes)
        {
            // A create or replace on this instance ran while we read: what we read may predate it.
            _recent.TryRemove(KeyValuePair.Create(programId, entry));
        }
        return program;
    }

    /// <summary>Counts the change first, then drops the copy: a read racing the change cannot leave a stale copy behind.</summary>
    private void Forget(string programId)
    {
        Interlocked.Increment(ref _changes);
        _recent.TryRemove(programId, out _);
    }

    private sealed record RecentProgram(StoredDocument<MentoringProgram> Program, DateTimeOffset Expires);

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>"Spring Buddies 2027!" -> "spring-buddies-2027".</summary>
    public static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var text = slug.ToString().Trim('-');
        return text.Length > 63 ? text[..63].TrimEnd('-') : text;
    }
}
