using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Mentoring.Api.Http;
using Mentoring.Core.Registration;
using Mentoring.Core.Registration.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        var result = await intake.ReceiveAsync(programId, provider, delivery, cancellationToken);
        Log(request, programId, result);
        return result switch
        {
            WebhookStored { Outcome: { Ignored: false, Participant: { } participant } outcome } => RegistrationEndpoints.Registered(request,
                new RegistrationOutcome(participant, outcome.Effect == SubmissionEffect.Created, outcome.Effect == SubmissionEffect.Unchanged)),
            WebhookStored stored => Results.Ok(new IgnoredAnswer(true, IgnoredReason(stored.Outcome.Effect), IgnoredDetail(stored.Outcome.Effect),
                stored.Outcome.Participant?.Value.Id, stored.Outcome.Participant?.Value.Status)),
            WebhookTest test => Results.Ok(new TestAnswer(true, test.ProviderMarked ? "provider-test-delivery" : "test-parameter",
                test.WouldStore is null
                    ? "A test delivery: nobody was registered. Its answers would not register anyone: see problems."
                    : "A test delivery: nobody was registered. wouldStore is what a real delivery like it would store.",
                test.WouldStore, test.WouldStore is null ? null : test.ExistingParticipant ? "update" : "create", test.Problems)),
            WebhookPartial => Results.Ok(new IgnoredAnswer(true, "partial-response",
                "A partial (unfinished) response: acknowledged, nothing stored. Only completed responses register people.", null, null)),
            _ => throw new InvalidOperationException($"Unknown webhook result {result.GetType().Name}."),
        };
    }

    /// <summary>The body of a delivery that was acknowledged and deliberately not applied.</summary>
    public sealed record IgnoredAnswer(bool Ignored, string Reason, string Detail, string? ParticipantId, Core.Participants.ParticipantStatus? Status);

    /// <summary>The body of a test delivery: nothing stored; what would be, or why nothing would be.</summary>
    public sealed record TestAnswer(bool Test, string Marker, string Detail, Core.Participants.Participant? WouldStore, string? Would,
        IReadOnlyList<Core.Common.FieldError> Problems);

    private static string IgnoredReason(SubmissionEffect effect) => effect switch
    {
        SubmissionEffect.IgnoredOlderVersion => "older-version",
        SubmissionEffect.IgnoredRemovedByAdmin => "removed-by-admin",
        _ => "withdrawn",
    };

    private static string IgnoredDetail(SubmissionEffect effect) => effect switch
    {
        SubmissionEffect.IgnoredOlderVersion => "A newer version of this submission was received already; this older one changes nothing.",
        SubmissionEffect.IgnoredRemovedByAdmin => "An admin removed this person from the program; deliveries for them are acknowledged and ignored.",
        _ => "This person withdrew; only a new submission sent after that registers them again.",
    };

    /// <summary>One line per delivery, with the URL's secrets redacted (Jotform carries its secret as ?token=).</summary>
    private static void Log(HttpRequest request, string programId, WebhookResult result)
    {
        var logger = request.HttpContext.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Mentoring.Webhooks");
        if (logger is null)
        {
            return;
        }
        var url = SecretRedaction.RedactQuery(request.Path + request.QueryString.ToString());
        var what = result switch
        {
            WebhookStored stored => stored.Outcome.Effect.ToString(),
            WebhookTest test => test.ProviderMarked ? "TestDelivery" : "DryRun",
            WebhookPartial => "PartialResponseIgnored",
            _ => result.GetType().Name,
        };
        logger.LogInformation("Webhook {Provider} for program {ProgramId}, submission {SubmissionId}: {Result} ({Url})",
            result.Provider, programId, result.SubmissionId, what, url);
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
