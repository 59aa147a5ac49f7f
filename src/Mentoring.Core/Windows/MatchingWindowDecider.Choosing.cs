namespace Mentoring.Core.Windows;

/// <summary>
/// User-led windows. After registration closes, everyone gets a link to pick partners from their suggestions until the
/// choosing deadline. A pick of someone who picked you back forms a pair at once; otherwise it asks them. People are
/// paired up to their capacity, and then drop out of everyone's suggestions: open requests to them lapse with a kind
/// mail to the requester, and their own open requests lapse silently. A decline is never told: to the requester it
/// looks like any request that did not work out. At the deadline, the pairs formed are pinned and the engine pairs the
/// rest (except people who asked not to be), and the draft goes through the usual approval, or straight to publishing
/// with autoApprove.
/// <para>
/// Mentor/mentee programs: a pick crosses sides, and the request says who would mentor whom. Mentees pick mentors, and
/// mentors may pick mentees too: a mentor often has someone in mind (a colleague who asked them for advice), and a
/// mentor and mentee who pick each other are the clearest fit there is, so it forms the pair at once. Mentors who would
/// rather wait simply answer the requests that come. A mentee holds one mentor and a mentor up to their capacity; a
/// person who said "either" plays the side of their first pair from then on. Two "either" people are never suggested
/// to each other: neither could tell which side the other asked for. At the deadline the pairs formed are pinned (mentor
/// first) and the roles engine matches the remaining mentees against the mentors' remaining capacity.
/// </para>
/// </summary>
public static partial class MatchingWindowDecider
{
    public const string ChoosingTimer = "choosing";
    public const string AutoApprover = "automatic approval";

    private static WindowDecision StartChoosing(WindowState state, ChoosingState choosing, DateTimeOffset at)
    {
        var endsAt = at + choosing.Plan.Period;
        var timer = new PendingTimer(ChoosingTimer, endsAt);
        var next = state with { Phase = WindowPhase.Choosing, ClosedAt = at, Timer = timer, Choosing = choosing with { EndsAt = endsAt } };
        return new(next, [new InviteToChoose(endsAt), new ScheduleTimer(timer.TimerId, timer.DueAt)]);
    }

    private static WindowDecision ChoosingStarted(WindowState state, ChoosingOpened e)
    {
        if (state.Phase != WindowPhase.Choosing || state.Choosing is not { } choosing)
        {
            return Refuse(state, "This window is not open for choosing.");
        }
        if (choosing.Capacities.Count > 0)
        {
            return Refuse(state, "The invitations to choose already went out.");
        }
        var capacities = e.Capacities.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var roles = (e.Roles ?? new Dictionary<string, ChooserRole>()).Where(r => capacities.ContainsKey(r.Key))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        if (roles.Count > 0 && roles.Count != capacities.Count)
        {
            return Refuse(state, "In a mentor/mentee program everyone invited needs a role.");
        }
        return new(state with { Choosing = choosing with { Capacities = capacities, Roles = roles } }, []);
    }

    private static WindowDecision Picked(WindowState state, PartnerPicked e)
    {
        if (Choosing(state) is not { } choosing)
        {
            return Refuse(state, "Choosing is over for this window.");
        }
        if (!choosing.Capacities.ContainsKey(e.ParticipantId))
        {
            return Refuse(state, "Only people invited to this window can choose.");
        }
        if (choosing.Chose.Contains(e.ParticipantId))
        {
            return Refuse(state, "You already sent your choice for this window.");
        }
        var picks = e.Picks.Distinct(StringComparer.Ordinal).ToList();
        if (picks.Count > choosing.Plan.MaxPicks)
        {
            return Refuse(state, $"Pick at most {choosing.Plan.MaxPicks} people.");
        }
        if (picks.Any(p => p == e.ParticipantId || !choosing.Capacities.ContainsKey(p) || !Crosses(choosing, e.ParticipantId, p)))
        {
            return Refuse(state, "Pick from the people suggested to you in this window.");
        }

        var commands = new List<WindowCommand>();
        choosing = choosing with
        {
            Chose = [.. choosing.Chose, e.ParticipantId],
            NoFallback = e.Fallback ? choosing.NoFallback : [.. choosing.NoFallback, e.ParticipantId],
        };
        foreach (var target in picks)
        {
            if (choosing.IsFull(e.ParticipantId))
            {
                break; // the earlier picks already filled this person's capacity
            }
            // Full, already paired, or (roles) no longer on the fitting side: an "either" person took the other side meanwhile.
            if (choosing.IsFull(target) || choosing.Paired(e.ParticipantId, target) || choosing.MentorOf(e.ParticipantId, target) is not { } mentor)
            {
                continue;
            }
            if (choosing.OpenRequest(target, e.ParticipantId) is { } theirs)
            {
                choosing = Form(choosing, theirs, RequestStatus.Accepted, PairFormedBy.MutualPick, e.At, commands);
            }
            else if (choosing.OpenRequest(e.ParticipantId, target) is null)
            {
                var request = new PairRequest(e.ParticipantId, target, RequestStatus.Open, e.At) { Mentor = choosing.Roles.Count > 0 ? mentor : null };
                choosing = choosing with { Requests = [.. choosing.Requests, request] };
                commands.Add(new MailPairRequest(e.ParticipantId, target));
            }
        }
        return new(state with { Choosing = choosing }, commands);
    }

    private static WindowDecision Answered(WindowState state, RequestAnswered e)
    {
        if (Choosing(state) is not { } choosing)
        {
            return Refuse(state, "Choosing is over for this window.");
        }
        if (choosing.OpenRequest(e.From, e.To) is not { } request)
        {
            return Refuse(state, "This request is no longer open.");
        }
        if (!e.Accepted)
        {
            return new(state with { Choosing = Close(choosing, request, RequestStatus.Declined, e.At) }, []);
        }
        var commands = new List<WindowCommand>();
        choosing = Form(choosing, request, RequestStatus.Accepted, PairFormedBy.AcceptedRequest, e.At, commands);
        return new(state with { Choosing = choosing }, commands);
    }

    private static WindowDecision ChoosingEnded(WindowState state, DateTimeOffset at)
    {
        if (state.Phase != WindowPhase.Choosing || state.Choosing is not { } choosing)
        {
            return Refuse(state, "This window is not open for choosing.");
        }
        // Unanswered requests lapse without mail: everyone still unpaired hears from the draft's outcome instead.
        choosing = choosing with
        {
            Requests = [.. choosing.Requests.Select(r => r.Status == RequestStatus.Open ? r with { Status = RequestStatus.Lapsed, AnsweredAt = at } : r)],
        };
        // Roles programs pin mentor first: the roles engine reads a pin as (mentor, mentee).
        var pinned = choosing.Pairs.Select(p => p.Mentor is { } mentor ? new Matching.Rules.ParticipantPair(mentor, p.Other(mentor)) : new Matching.Rules.ParticipantPair(p.A, p.B));
        var optedOut = choosing.NoFallback.Where(id => choosing.PairCount(id) == 0);
        // A mentor who asked for no engine match keeps the mentees they chose and is given no others.
        var keepTheirs = choosing.NoFallback.Where(id => choosing.PairCount(id) > 0 && !choosing.IsFull(id));
        // A decline is a "no" to this person: the engine never pairs the two at the deadline. The admin may still pin the
        // pair by hand in the approval loop (a pin lifts the exclusion). This holds for this window only: a later round
        // of an evergreen program starts from new registrations and new picks, and a decline is an answer to one request
        // at one time, not a do-not-match; people who never want to meet say so with the do-not-match rule.
        // (A decline followed by the other's own request, accepted, is a pair they both chose: that one stays pinned.)
        var declined = choosing.Requests.Where(r => r.Status == RequestStatus.Declined && !choosing.Paired(r.From, r.To))
            .Select(r => new Matching.Rules.ParticipantPair(r.From, r.To))
            .Where(d => !state.Edits.ForbiddenPairs.Any(f => SamePair(f, d)));
        var edits = state.Edits with
        {
            ForbiddenPairs = [.. state.Edits.ForbiddenPairs, .. declined],
            PinnedPairs = [.. state.Edits.PinnedPairs, .. pinned],
            ExcludedParticipantIds = [.. state.Edits.ExcludedParticipantIds, .. optedOut],
            PinnedOnlyParticipantIds = [.. state.Edits.PinnedOnlyParticipantIds, .. keepTheirs],
        };
        var next = state with { Phase = WindowPhase.Drafting, DraftVersion = 1, Edits = edits, Timer = null, Choosing = choosing };
        return new(next, [new ComputeDraft(1, edits)]);
    }

    private static ChoosingState? Choosing(WindowState state) =>
        state.Phase == WindowPhase.Choosing && state.Choosing is { Capacities.Count: > 0 } choosing ? choosing : null;

    /// <summary>Closes the request as a pair, then lapses the open requests of whoever is now full.</summary>
    private static ChoosingState Form(ChoosingState choosing, PairRequest request, RequestStatus status, PairFormedBy by, DateTimeOffset at,
        List<WindowCommand> commands)
    {
        choosing = Close(choosing, request, status, at);
        choosing = choosing with { Pairs = [.. choosing.Pairs, new FormedPair(request.From, request.To, by, at) { Mentor = request.Mentor }] };
        commands.Add(new MailPairFormed(request.From, request.To, by));
        // Whoever is now full (or, roles, now plays one side) can no longer take the requests that needed otherwise.
        var touched = new[] { request.From, request.To };
        foreach (var open in choosing.Requests.Where(r => r.Status == RequestStatus.Open && (touched.Contains(r.From) || touched.Contains(r.To))).ToList())
        {
            if (choosing.StillPossible(open))
            {
                continue;
            }
            choosing = Close(choosing, open, RequestStatus.Lapsed, at);
            if (touched.Contains(open.To))
            {
                // A kind word to whoever was waiting on them: full, or ("either") now playing the other side.
                commands.Add(new MailRequestLapsed(open.From, open.To) { OtherSide = choosing.Roles.Count > 0 && choosing.MentorOf(open.From, open.To) != open.Mentor });
            }
        }
        return choosing;
    }

    /// <summary>Roles programs: a pick must cross sides by what people registered as, and two "either" people cannot tell whose side is whose.</summary>
    private static bool Crosses(ChoosingState choosing, string from, string to) =>
        choosing.Roles.Count == 0
        || (choosing.Roles.GetValueOrDefault(from), choosing.Roles.GetValueOrDefault(to)) is not ((ChooserRole.Mentor, ChooserRole.Mentor)
            or (ChooserRole.Mentee, ChooserRole.Mentee) or (ChooserRole.Either, ChooserRole.Either));

    private static ChoosingState Close(ChoosingState choosing, PairRequest request, RequestStatus status, DateTimeOffset at) =>
        choosing with { Requests = [.. choosing.Requests.Select(r => r.Id == request.Id && r.Status == RequestStatus.Open ? r with { Status = status, AnsweredAt = at } : r)] };
}
