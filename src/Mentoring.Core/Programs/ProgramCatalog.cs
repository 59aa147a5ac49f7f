using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Persistence;

namespace Mentoring.Core.Programs;

/// <summary>Create, read and replace programs. Program documents live in their own partition.</summary>
public sealed class ProgramCatalog(IDocumentStore store, TimeProvider clock)
{
    public static DocumentKey KeyOf(string programId) => new(programId, DocumentKinds.Program, programId);

    public async Task<StoredDocument<MentoringProgram>> CreateAsync(ProgramDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var id = definition.Id ?? Slug(definition.Name ?? "");
        var secrets = definition.WebhookSecrets ?? [NewSecret()];
        var now = clock.GetUtcNow();
        var program = ProgramValidator.Validate(definition, id, secrets, now, now);
        try
        {
            return await store.CreateAsync(KeyOf(program.Id), program, cancellationToken);
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
        if (current.ETag != ifMatch)
        {
            throw new StaleETagException($"Program '{programId}'");
        }
        var program = ProgramValidator.Validate(definition, programId, definition.WebhookSecrets ?? current.Value.WebhookSecrets,
            current.Value.CreatedAt, clock.GetUtcNow());
        try
        {
            return await store.ReplaceAsync(KeyOf(programId), program, ifMatch, cancellationToken);
        }
        catch (DocumentPreconditionFailedException)
        {
            throw new StaleETagException($"Program '{programId}'");
        }
    }

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
