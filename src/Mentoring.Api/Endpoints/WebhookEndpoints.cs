using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Mentoring.Api.Http;
using Mentoring.Core.Registration;
using Mentoring.Core.Registration.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mentoring.Api.Endpoints;

/// <summary>Public: signups posted by forms tools, authenticated by each provider's signature or URL token.</summary>
public static class WebhookEndpoints
{
    public static async Task<IResult> Receive(string programId, string provider, HttpRequest request, WebhookIntake intake,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadRawAsync(request, cancellationToken);
        // Views, not copies: providers look up one or two names, so nothing else is materialised.
        var delivery = new WebhookDelivery(body, request.ContentType, new HeaderView(request.Headers), new QueryView(request.Query));
        return RegistrationEndpoints.Registered(request, await intake.ReceiveAsync(programId, provider, delivery, cancellationToken));
    }

    /// <summary>
    /// Request headers as name -> value (several values joined with commas, as <see cref="StringValues.ToString"/> does),
    /// case-insensitive like the request's own collection.
    /// </summary>
    private sealed class HeaderView(IHeaderDictionary headers) : StringValuesView
    {
        public override int Count => headers.Count;

        protected override IEnumerable<KeyValuePair<string, StringValues>> All => headers;

        protected override bool TryGet(string key, out StringValues values) => headers.TryGetValue(key, out values);
    }

    /// <summary>Query parameters as name -> value (repeated parameters joined with commas), case-insensitive like the request's.</summary>
    private sealed class QueryView(IQueryCollection query) : StringValuesView
    {
        public override int Count => query.Count;

        protected override IEnumerable<KeyValuePair<string, StringValues>> All => query;

        protected override bool TryGet(string key, out StringValues values) => query.TryGetValue(key, out values);
    }

    /// <summary>A read-only string view over a collection of <see cref="StringValues"/>; values are joined on demand.</summary>
    private abstract class StringValuesView : IReadOnlyDictionary<string, string>
    {
        public abstract int Count { get; }

        public IEnumerable<string> Keys => All.Select(pair => pair.Key);

        public IEnumerable<string> Values => All.Select(pair => pair.Value.ToString());

        protected abstract IEnumerable<KeyValuePair<string, StringValues>> All { get; }

        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => TryGet(key, out _);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            if (TryGet(key, out var values))
            {
                value = values.ToString();
                return true;
            }
            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
            All.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.ToString())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        protected abstract bool TryGet(string key, out StringValues values);
    }
}
