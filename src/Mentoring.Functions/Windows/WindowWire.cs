using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Windows;

namespace Mentoring.Functions.Windows;

/// <summary>
/// What an orchestrator generation starts from: the state so far, the events it has not decided yet, and how it retries
/// a failing command (null: <see cref="CommandRetry.Default"/>).
/// </summary>
public sealed record WindowRun(WindowState? State, IReadOnlyList<WindowEvent> Inbox, CommandRetry? Retry = null);

/// <summary>
/// How long the orchestrator waits before running a failed command again: <paramref name="First"/>, doubling, capped at
/// <paramref name="Max"/>, without end (as the embedded runner does): a command that cannot succeed keeps the window
/// waiting where it is, visible to admins, instead of failing the instance and losing the window.
/// </summary>
public sealed record CommandRetry(TimeSpan First, TimeSpan Max)
{
    /// <summary>The embedded runner's schedule: 5 s, doubling, at most an hour apart.</summary>
    public static CommandRetry Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));
}

/// <summary>One command to execute, with the state it was decided in (the activity's input).</summary>
public sealed record WindowStep(WindowState State, WindowCommand Command);

/// <summary>
/// Every Durable payload of the window workflow (orchestrator input, event, activity input and output, custom status) is
/// a JSON string written with <see cref="MentoringJson"/>. Events and commands are polymorphic records whose type
/// discriminator is only written when they are serialised as their base type; handing Durable the objects would let
/// the worker's serializer write them as their runtime type, without it, and they could not be read back.
/// </summary>
public static class WindowWire
{
    /// <summary>Custom status stays well under Durable's 16 KB (UTF-16) limit; past this the read view drops old decision reasons.</summary>
    public const int MaxStatusChars = 7000;

    public static string Write(WindowRun run) => JsonSerializer.Serialize(run, MentoringJson.Options);

    public static WindowRun ReadRun(string? json) =>
        json is null ? new WindowRun(null, []) : JsonSerializer.Deserialize<WindowRun>(json, MentoringJson.Options) ?? new WindowRun(null, []);

    public static string Write(WindowStep step) => JsonSerializer.Serialize(step, MentoringJson.Options);

    public static WindowStep ReadStep(string json) =>
        JsonSerializer.Deserialize<WindowStep>(json, MentoringJson.Options) ?? throw new InvalidOperationException("Empty window step.");

    public static string Write(WindowEvent windowEvent) => JsonSerializer.Serialize(windowEvent, MentoringJson.Options);

    /// <summary>The event in a payload, or null when there is none or it is not an event (the orchestrator ignores those).</summary>
    public static WindowEvent? ReadEvent(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<WindowEvent>(json, MentoringJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null; // no or unknown type discriminator
        }
    }

    /// <summary>The custom status for a state: the state itself, trimmed only if a long history of decisions would not fit.</summary>
    public static string Status(WindowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var json = JsonSerializer.Serialize(state, MentoringJson.Options);
        if (json.Length <= MaxStatusChars)
        {
            return json;
        }
        // The orchestrator keeps the whole state; only what GET shows loses the text of old reasons, then old decisions.
        var trimmed = state with { Decisions = [.. state.Decisions.Select(d => d with { Reason = Shorten(d.Reason) })] };
        json = JsonSerializer.Serialize(trimmed, MentoringJson.Options);
        return json.Length <= MaxStatusChars
            ? json
            : JsonSerializer.Serialize(trimmed with { Decisions = [.. trimmed.Decisions.TakeLast(5)] }, MentoringJson.Options);
    }

    public static WindowState? ReadStatus(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<WindowState>(json, MentoringJson.Options);

    /// <summary>
    /// The state an instance that has not run yet will have once it decides its input: what a GET right after a start
    /// shows (the embedded host decides synchronously; Durable starts the orchestrator a moment later).
    /// </summary>
    public static WindowState? Project(WindowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var state = run.State;
        foreach (var windowEvent in run.Inbox)
        {
            var decision = MatchingWindowDecider.Decide(state, windowEvent);
            if (!decision.Refused)
            {
                state = decision.State;
            }
        }
        return state;
    }

    private static string? Shorten(string? reason) => reason is { Length: > 140 } ? reason[..140] + "…" : reason;
}
