namespace Mentoring.Core.Windows;

/// <summary>What the decider made of one event: the next state, what to do, or why the event was refused.</summary>
public sealed record WindowDecision(WindowState? State, IReadOnlyList<WindowCommand> Commands, string? Refusal = null)
{
    public bool Refused => Refusal is not null;
}

/// <summary>
/// The matching window as a pure decider: (state, event) -> (state, commands). No clock, no I/O, no ids:
/// both the embedded runner and the Durable Functions orchestrator interpret it, so they cannot drift apart.
/// </summary>
public static partial class MatchingWindowDecider
{
    public const string CloseTimer = "close";

    public static string ReminderTimer(int version, int number) => $"reminder:v{version}:{number}";

    public static WindowDecision Decide(WindowState? state, WindowEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (state is null)
        {
            return @event is WindowOpened opened
                ? Open(opened)
                : Refuse(null, "This window does not exist.");
        }
        if (@event is WindowOpened)
        {
            return Refuse(state, "This window is already open."); // a repeated start is harmless and changes nothing
        }
        if (state.IsFinished)
        {
            return Refuse(state, $"This window is {Describe(state.Phase)}; nothing more can change.");
        }

        return @event switch
        {
            CloseRequested e => Close(state, e.At),
            TimerFired e => Timer(state, e),
            DraftComputed e => Computed(state, e),
            DecisionReceived e => Decided(state, e),
            PairsPublished e => Published(state, e),
            IntrosSent e => Introduced(state, e),
            CancelRequested e => Cancel(state, e),
            ChoosingOpened e => ChoosingStarted(state, e),
            PartnerPicked e => Picked(state, e),
            RequestAnswered e => Answered(state, e),
            _ => Refuse(state, $"Unknown event {@event.GetType().Name}."),
        };
    }

    private static WindowDecision Open(WindowOpened e)
    {
        var state = new WindowState
        {
            ProgramId = e.ProgramId,
            WindowId = e.WindowId,
            Phase = WindowPhase.Open,
            Timings = e.Timings,
            Evergreen = e.Evergreen,
            OpenedAt = e.At,
            ClosesAt = e.ClosesAt,
            Choosing = e.Choosing is { } plan ? new ChoosingState { Plan = plan } : null,
        };
        if (e.ClosesAt <= e.At)
        {
            return Close(state, e.At);
        }
        var timer = new PendingTimer(CloseTimer, e.ClosesAt);
        return new(state with { Timer = timer }, [new ScheduleTimer(timer.TimerId, timer.DueAt)]);
    }

    private static WindowDecision Close(WindowState state, DateTimeOffset at)
    {
        if (state.Phase != WindowPhase.Open)
        {
            return Refuse(state, "Registration for this window is already closed.");
        }
        if (state.Choosing is { } choosing)
        {
            return StartChoosing(state, choosing, at);
        }
        var next = state with { Phase = WindowPhase.Drafting, ClosedAt = at, DraftVersion = 1, Timer = null };
        return new(next, [new ComputeDraft(1, state.Edits)]);
    }

    private static WindowDecision Timer(WindowState state, TimerFired e)
    {
        if (state.Timer?.TimerId != e.TimerId)
        {
            return Refuse(state, $"Timer '{e.TimerId}' is no longer pending."); // superseded: a decision came first
        }
        if (e.TimerId == CloseTimer)
        {
            return Close(state, e.At);
        }
        if (e.TimerId == ChoosingTimer)
        {
            return ChoosingEnded(state, e.At);
        }
        if (state.Phase != WindowPhase.AwaitingDecision)
        {
            return Refuse(state, $"Timer '{e.TimerId}' fired while the window is {Describe(state.Phase)}.");
        }
        if (state.RemindersSent >= state.Timings.RemindersBeforeExpiry)
        {
            var expired = state with { Phase = WindowPhase.Expired, Timer = null, FinishedAt = e.At };
            return new(expired, [new MailExpiry(state.DraftVersion), new CompleteWindow(WindowPhase.Expired)]);
        }
        var number = state.RemindersSent + 1;
        var timer = new PendingTimer(ReminderTimer(state.DraftVersion, number + 1), e.At + state.Timings.ReminderInterval);
        return new(state with { RemindersSent = number, Timer = timer },
        [
            new MailReminder(state.DraftVersion, number, state.Timings.RemindersBeforeExpiry),
            new ScheduleTimer(timer.TimerId, timer.DueAt),
        ]);
    }

    private static WindowDecision Computed(WindowState state, DraftComputed e)
    {
        if (state.Phase != WindowPhase.Drafting || e.Version != state.DraftVersion)
        {
            return Refuse(state, $"Draft v{e.Version} is not the one being computed.");
        }
        if (state.Choosing?.Plan.AutoApprove == true)
        {
            // User-led with autoApprove: the participants' choices plus the engine's fallback publish as they are; admins
            // hear about it in the approval mail that publishing sends.
            var record = new DecisionRecord(e.Version, DecisionAction.Approve, AutoApprover, e.At, "The program approves user-led drafts automatically.", null, null);
            return new(state with { Phase = WindowPhase.Publishing, Draft = e.Summary, ApprovedVersion = e.Version, Decisions = [.. state.Decisions, record], Timer = null },
                [new PublishPairs(e.Version)]);
        }
        var timer = new PendingTimer(ReminderTimer(e.Version, 1), e.At + state.Timings.ReminderInterval);
        var next = state with { Phase = WindowPhase.AwaitingDecision, Draft = e.Summary, RemindersSent = 0, Timer = timer };
        return new(next, [new MailDraft(e.Version), new ScheduleTimer(timer.TimerId, timer.DueAt)]);
    }

    private static WindowDecision Decided(WindowState state, DecisionReceived e)
    {
        if (state.DecisionOn(e.Version) is { } earlier)
        {
            return Refuse(state, $"Draft v{e.Version} was already decided ({Describe(earlier.Action)}) by {earlier.By} at {earlier.At:yyyy-MM-dd HH:mm} UTC.");
        }
        if (state.Phase != WindowPhase.AwaitingDecision || e.Version != state.DraftVersion)
        {
            return Refuse(state, e.Version < state.DraftVersion
                ? $"Draft v{e.Version} has been replaced by v{state.DraftVersion}; decide on the newest draft."
                : $"Draft v{e.Version} is not awaiting a decision.");
        }
        var record = new DecisionRecord(e.Version, e.Action, e.By, e.At, e.Reason, e.Pair, e.ParticipantId);
        var decided = state with { Decisions = [.. state.Decisions, record], Timer = null };

        if (e.Action == DecisionAction.Approve)
        {
            return new(decided with { Phase = WindowPhase.Publishing, ApprovedVersion = e.Version }, [new PublishPairs(e.Version)]);
        }

        var edits = e.Action switch
        {
            DecisionAction.ForbidPair when e.Pair is not null => state.Edits with
            {
                ForbiddenPairs = [.. state.Edits.ForbiddenPairs, e.Pair],
                PinnedPairs = [.. state.Edits.PinnedPairs.Where(p => !SamePair(p, e.Pair))],
            },
            DecisionAction.PinPair when e.Pair is not null => state.Edits with
            {
                PinnedPairs = [.. state.Edits.PinnedPairs, e.Pair],
                ForbiddenPairs = [.. state.Edits.ForbiddenPairs.Where(p => !SamePair(p, e.Pair))],
            },
            DecisionAction.ExcludeParticipant when e.ParticipantId is not null => state.Edits with
            {
                ExcludedParticipantIds = [.. state.Edits.ExcludedParticipantIds, e.ParticipantId],
            },
            DecisionAction.IncludeParticipant when e.ParticipantId is not null => state.Edits with
            {
                IncludedParticipantIds = [.. state.Edits.IncludedParticipantIds.Where(id => id != e.ParticipantId), e.ParticipantId],
                ExcludedParticipantIds = [.. state.Edits.ExcludedParticipantIds.Where(id => id != e.ParticipantId)],
            },
            DecisionAction.ForbidPair or DecisionAction.PinPair => null,
            DecisionAction.ExcludeParticipant or DecisionAction.IncludeParticipant => null,
            _ => state.Edits,
        };
        if (edits is null)
        {
            return Refuse(state, $"A {Describe(e.Action)} decision must name the pair or participant.");
        }
        var version = state.DraftVersion + 1;
        var next = decided with { Phase = WindowPhase.Drafting, DraftVersion = version, Edits = edits, Draft = null, RemindersSent = 0 };
        return new(next, [new ComputeDraft(version, edits)]);
    }

    private static WindowDecision Published(WindowState state, PairsPublished e)
    {
        if (state.Phase != WindowPhase.Publishing || e.Version != state.ApprovedVersion)
        {
            return Refuse(state, $"Draft v{e.Version} is not being published.");
        }
        return new(state with { Phase = WindowPhase.Introducing }, [new MailIntros(e.Version)]);
    }

    private static WindowDecision Introduced(WindowState state, IntrosSent e)
    {
        if (state.Phase != WindowPhase.Introducing || e.Version != state.ApprovedVersion)
        {
            return Refuse(state, $"Intros for draft v{e.Version} are not expected.");
        }
        var done = state with { Phase = WindowPhase.Completed, FinishedAt = e.At };
        return new(done, state.Evergreen
            ? [new OpenNextWindow(e.At + state.Timings.EvergreenRound), new CompleteWindow(WindowPhase.Completed)]
            : [new CompleteWindow(WindowPhase.Completed)]);
    }

    private static WindowDecision Cancel(WindowState state, CancelRequested e)
    {
        if (state.Phase is WindowPhase.Publishing or WindowPhase.Introducing)
        {
            return Refuse(state, "The draft is already approved and its pairs are being introduced; end pairs individually instead.");
        }
        var cancelled = state with { Phase = WindowPhase.Cancelled, Timer = null, FinishedAt = e.At };
        return new(cancelled, [new CompleteWindow(WindowPhase.Cancelled)]);
    }

    private static bool SamePair(Matching.Rules.ParticipantPair x, Matching.Rules.ParticipantPair y) =>
        (x.A == y.A && x.B == y.B) || (x.A == y.B && x.B == y.A);

    private static WindowDecision Refuse(WindowState? state, string why) => new(state, [], why);

    public static string Describe(WindowPhase phase) => phase switch
    {
        WindowPhase.Open => "open for registration",
        WindowPhase.Choosing => "open for participants to choose partners",
        WindowPhase.Drafting => "computing a draft",
        WindowPhase.AwaitingDecision => "waiting for a decision",
        WindowPhase.Publishing => "publishing its pairs",
        WindowPhase.Introducing => "sending intros",
        WindowPhase.Completed => "completed",
        WindowPhase.Expired => "expired without a decision",
        _ => "cancelled",
    };

    public static string Describe(DecisionAction action) => action switch
    {
        DecisionAction.Approve => "approved",
        DecisionAction.Reject => "rejected",
        DecisionAction.ForbidPair => "forbid a pair",
        DecisionAction.PinPair => "keep a pair",
        DecisionAction.ExcludeParticipant => "leave someone out",
        DecisionAction.IncludeParticipant => "include someone waitlisted",
        _ => "re-run",
    };
}
