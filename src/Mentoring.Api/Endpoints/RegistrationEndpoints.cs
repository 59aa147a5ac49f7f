using System.Globalization;
using System.Text.Json;
using Mentoring.Api.Http;
using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Registration;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Public: native JSON signups. The same email again updates that participant.</summary>
public static class RegistrationEndpoints
{
    /// <summary>The JSON a signup form or script posts. Answers are strings, numbers, booleans or arrays of those.</summary>
    public sealed record RegistrationBody
    {
        public string? Email { get; init; }
        public string? Name { get; init; }
        public bool? Consent { get; init; }
        public Dictionary<string, JsonElement>? Answers { get; init; }
    }

    public static async Task<IResult> Register(string programId, HttpRequest request, ParticipantRegistry registry, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<RegistrationBody>(request, cancellationToken);
        return Registered(request, await registry.RegisterAsync(programId, ToRequest(body), cancellationToken));
    }

    /// <summary>201 with the participant's location when the signup created them, else 200; the ETag either way.</summary>
    internal static IResult Registered(HttpRequest request, RegistrationOutcome outcome)
    {
        var participant = outcome.Participant.Value;
        return ProgramEndpoints.WithETag(request, outcome.Participant, outcome.Created
            ? Results.Created(ParticipantEndpoints.Location(participant), participant)
            : Results.Ok(participant));
    }

    public static RegistrationRequest ToRequest(RegistrationBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new List<FieldError>();
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in body.Answers ?? [])
        {
            var values = AnswerValues(value);
            if (values is null)
            {
                errors.Add(new($"answers.{key}", Rules.WrongType, $"'answers.{key}' must be a string, number, boolean or an array of those."));
            }
            else
            {
                answers[key] = values;
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return new RegistrationRequest
        {
            Email = body.Email,
            Name = body.Name,
            Consent = body.Consent,
            Answers = answers,
            Source = new RegistrationSource(RegistrationSource.Api),
        };
    }

    private static List<string>? AnswerValues(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>();
            foreach (var item in value.EnumerateArray())
            {
                if (Scalar(item) is not { } text)
                {
                    return null;
                }
                list.Add(text);
            }
            return list;
        }
        return value.ValueKind == JsonValueKind.Null ? [] : Scalar(value) is { } single ? [single] : null;
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => bool.TrueString.ToLower(CultureInfo.InvariantCulture),
        JsonValueKind.False => bool.FalseString.ToLower(CultureInfo.InvariantCulture),
        _ => null,
    };
}
