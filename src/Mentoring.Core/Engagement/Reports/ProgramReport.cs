using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Engagement.Reports;

/// <summary>A program's figures: the whole program, then the same figures per department and per level.</summary>
public sealed record ProgramReportData
{
    /// <summary>The segment of participants who did not answer department (or level).</summary>
    public const string NoAnswer = "(none)";

    public required string ProgramId { get; init; }
    public required string ProgramName { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required ReportFigures Total { get; init; }
    public required IReadOnlyList<ReportSegment> ByDepartment { get; init; }
    public required IReadOnlyList<ReportSegment> ByLevel { get; init; }
    /// <summary>Roles programs: figures of mentors and of mentees (the role held in a published match; for people never
    /// matched, their registration answer). Empty for peers.</summary>
    public IReadOnlyList<ReportSegment> ByRole { get; init; } = [];
    /// <summary>Roles programs: each mentor's active mentees against their capacity. Empty for peers.</summary>
    public IReadOnlyList<MentorLoad> MentorLoad { get; init; } = [];

    /// <summary>User-led programs: pairs by how they formed, the decline rate and the time to pair. Null (absent) for admin-led programs.</summary>
    public UserLedFigures? UserLed { get; init; }

    /// <summary>Meetings and mentoring hours per program-local week (Monday first), oldest first, at most the last 26 weeks.</summary>
    public IReadOnlyList<WeekActivity> Weeks { get; init; } = [];
}

/// <summary>How many mentees a mentor has in active matches, and how many they said they can take.</summary>
/// <summary>One week's meetings (a pair's round with a "we met", counted in the week of its first such answer) and hours.</summary>
public sealed record WeekActivity(DateOnly WeekOf, int Meetings, double Hours);

public sealed record MentorLoad(string ParticipantId, string Name, int ActiveMentees, int Capacity);

/// <summary>The figures of the participants whose answer to department (or level) is <see cref="Segment"/>.</summary>
public sealed record ReportSegment(string Segment, ReportFigures Figures);

/// <summary>
/// The figures of a set of participants. Pair figures (pairs, meetings, hours) count a pair, trio or group in a segment
/// when any of its members is in the segment: a cross-department pair counts in both departments, so segments can add up
/// to more than the total. Rates are percentages (0-100, one decimal), null when nothing was sent.
/// </summary>
public sealed record ReportFigures
{
    public required EnrolledFigures Enrolled { get; init; }
    /// <summary>People in at least one published pair, trio or group.</summary>
    public required int Matched { get; init; }
    /// <summary>People waitlisted in the last published round.</summary>
    public required int Waitlisted { get; init; }
    public required PairFigures Pairs { get; init; }
    /// <summary>Check-in rounds in which a pair met ("we met" from at least one member), once per pair and round.</summary>
    public required int Meetings { get; init; }
    /// <summary>Sum over meetings of the largest minutes a member reported for that round, in hours, one decimal.</summary>
    public required double MentoringHours { get; init; }
    public required ResponseFigures CheckIns { get; init; }
    public required IReadOnlyList<SurveyFigures> Surveys { get; init; }
}

public sealed record EnrolledFigures(int Registered, int Withdrawn)
{
    public int Total => Registered + Withdrawn;
}

/// <summary>Pairs (trios and groups count as one each): active, ended, and the active ones at risk.</summary>
public sealed record PairFigures(int Active, int Ended, int AtRisk);

/// <summary>How many were sent and answered; the rate as a percentage with one decimal, null when none were sent.</summary>
public sealed record ResponseFigures(int Sent, int Answered, double? ResponseRate);

public sealed record OptionCount(string Option, int Count);

/// <summary>Net promoter score: % promoters (9-10) minus % detractors (0-6), rounded to an integer; null without answers.</summary>
public sealed record NpsFigures(int Answers, int Promoters, int Passives, int Detractors, int? Score);

public sealed record SurveyFigures
{
    public required string Key { get; init; }
    public required string Title { get; init; }
    public required ResponseFigures Responses { get; init; }
    /// <summary>Respondents per option of the "satisfaction" question, in the scale's order.</summary>
    public required IReadOnlyList<OptionCount> Satisfaction { get; init; }
    public required NpsFigures Nps { get; init; }
}

/// <summary>The documents a report is computed from: everything in one program's partition that engagement wrote.</summary>
public sealed record ReportInputs
{
    public required MentoringProgram Program { get; init; }
    public IReadOnlyList<Participant> Participants { get; init; } = [];
    public IReadOnlyList<PublishedMatch> Matches { get; init; } = [];
    public IReadOnlyList<RoundResult> Rounds { get; init; } = [];
    public IReadOnlyList<CheckInRecord> CheckIns { get; init; } = [];
    public IReadOnlyList<SurveyRecord> Surveys { get; init; } = [];
}

/// <summary>Computes a program's report from the store. Reads the whole partition's engagement documents; writes nothing.</summary>
public sealed class ProgramReport(ProgramCatalog programs, IDocumentStore store, TimeProvider clock)
{
    public async Task<ProgramReportData> BuildAsync(string programId, CancellationToken cancellationToken = default)
    {
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        async Task<IReadOnlyList<T>> All<T>(string kind) =>
            [.. (await store.QueryAllAsync<T>(program.Id, kind, cancellationToken)).Select(d => d.Value)];
        var inputs = new ReportInputs
        {
            Program = program,
            Participants = await All<Participant>(DocumentKinds.Participant),
            Matches = await All<PublishedMatch>(WindowDocuments.MatchKind),
            Rounds = await All<RoundResult>(WindowDocuments.RoundKind),
            CheckIns = await All<CheckInRecord>(EngagementDocuments.CheckInKind),
            Surveys = await All<SurveyRecord>(EngagementDocuments.SurveyKind),
        };
        return Compute(inputs, clock.GetUtcNow());
    }

    public static ProgramReportData Compute(ReportInputs inputs, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var people = inputs.Participants.ToDictionary(p => p.Id, StringComparer.Ordinal);
        return new ProgramReportData
        {
            ProgramId = inputs.Program.Id,
            ProgramName = inputs.Program.Name,
            GeneratedAt = generatedAt,
            Total = Figures(inputs, _ => true),
            ByDepartment = Segments(inputs, people, BuiltInQuestions.Department),
            ByLevel = Segments(inputs, people, BuiltInQuestions.Level),
            ByRole = IsRoles(inputs.Program) ? RoleSegments(inputs, people) : inputs.Program.Pairing == PairingShape.Buddies ? BuddyRoleSegments(inputs, people) : [],
            MentorLoad = IsRoles(inputs.Program) ? MentorLoads(inputs, people) : [],
            Weeks = Weekly(inputs, generatedAt),
            UserLed = UserLedReport.Compute(inputs),
        };
    }

    public const int WeeksShown = 26;

    /// <summary>The Monday of <paramref name="at"/>'s week in <paramref name="timeZone"/>.</summary>
    public static DateOnly WeekOf(DateTimeOffset at, string? timeZone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Mail.Templates.MailFormat.Zone(timeZone)).DateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    // Counted as CheckInTally counts them (one meeting per match and round, the longest minutes reported), placed in the
    // week of the round's first "we met"; every week from the first intro to now is listed, quiet ones with zeros.
    private static List<WeekActivity> Weekly(ReportInputs inputs, DateTimeOffset now)
    {
        var zone = inputs.Program.TimeZone;
        var firstIntro = inputs.Matches.Where(m => m.IntroducedAt is not null).Select(m => m.IntroducedAt!.Value).DefaultIfEmpty().Min();
        if (firstIntro == default)
        {
            return [];
        }
        var meetings = inputs.CheckIns
            .Where(r => r.Answer == CheckInAnswer.Met && r.AnsweredAt is not null)
            .GroupBy(r => (r.MatchId, r.Round))
            .Select(g => (Week: WeekOf(g.Min(r => r.AnsweredAt!.Value), zone), Minutes: g.Max(r => r.Minutes ?? 0)))
            .ToLookup(m => m.Week);
        var last = WeekOf(now, zone);
        var first = WeekOf(firstIntro, zone);
        if (first < last.AddDays(-7 * (WeeksShown - 1)))
        {
            first = last.AddDays(-7 * (WeeksShown - 1));
        }
        var weeks = new List<WeekActivity>();
        for (var week = first; week <= last; week = week.AddDays(7))
        {
            weeks.Add(new WeekActivity(week, meetings[week].Count(), meetings[week].Sum(m => m.Minutes) / 60.0));
        }
        return weeks;
    }

    private static bool IsRoles(MentoringProgram program) => program.Pairing is PairingShape.MentorMentee or PairingShape.Reverse or PairingShape.GroupsLed;

    /// <summary>The role a member holds in a match: stored on the member; else a led group's lead (LeadId) is its mentor
    /// and the rest its mentees; pairs published before roles were stored on members hold [mentor, mentee] in that order.</summary>
    private static string? RoleIn(PublishedMatch match, int index) =>
        match.Members[index].Role
        ?? (match.LeadId is { } lead ? (match.Members[index].ParticipantId == lead ? BuiltInQuestions.RoleOptions.Mentor : BuiltInQuestions.RoleOptions.Mentee)
        : match.Members.Count == 2 ? (index == 0 ? BuiltInQuestions.RoleOptions.Mentor : BuiltInQuestions.RoleOptions.Mentee) : null);

    private static List<ReportSegment> RoleSegments(ReportInputs inputs, Dictionary<string, Participant> people)
    {
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in inputs.Matches.OrderBy(m => m.PublishedAt).ThenBy(m => m.Id, StringComparer.Ordinal))
        {
            for (var i = 0; i < m.Members.Count; i++)
            {
                if (RoleIn(m, i) is { } role)
                {
                    held.TryAdd(m.Members[i].ParticipantId, role);
                }
            }
        }
        string Of(string id) => held.GetValueOrDefault(id) ?? SegmentOf(people.GetValueOrDefault(id), BuiltInQuestions.Role);
        var segments = people.Keys.Concat(held.Keys).Select(Of).Distinct(StringComparer.Ordinal)
            .OrderBy(s => BuiltInQuestions.RoleOptions.All.ToList().IndexOf(s) is var i and >= 0 ? i : 99).ThenBy(s => s, StringComparer.Ordinal);
        // Survey answers count under the role the respondent held in the survey's match (someone who said "either" may
        // have mentored in one round and been mentored in another); older records fall back to the person's role.
        return [.. segments.Select(segment => new ReportSegment(segment,
            Figures(inputs, id => Of(id) == segment, r => (r.Role ?? Of(r.ParticipantId)) == segment)))];
    }

    // A led group's lead carries all its mentees; their capacity is their group size.
    private static List<MentorLoad> MentorLoads(ReportInputs inputs, Dictionary<string, Participant> people) =>
        [.. inputs.Matches
            .SelectMany(m => Enumerable.Range(0, m.Members.Count).Where(i => RoleIn(m, i) == BuiltInQuestions.RoleOptions.Mentor).Select(i => (Match: m, Mentor: m.Members[i])))
            .GroupBy(x => x.Mentor.ParticipantId, StringComparer.Ordinal)
            .Select(g =>
            {
                var person = people.GetValueOrDefault(g.Key);
                var capacity = inputs.Program.Pairing == PairingShape.GroupsLed && person is not null
                    ? Matching.Roles.MentorMenteeDrafter.CapacityOf(inputs.Program, person)
                    : int.TryParse(person?.SingleAnswer(BuiltInQuestions.Capacity), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : 1;
                var mentees = g.Where(x => x.Match.Status == MatchStatus.Active)
                    .Sum(x => Enumerable.Range(0, x.Match.Members.Count).Count(i => RoleIn(x.Match, i) == BuiltInQuestions.RoleOptions.Mentee));
                return new MentorLoad(g.Key, g.First().Mentor.Name, mentees, capacity);
            })
            .OrderBy(l => l.Name, StringComparer.Ordinal)];

    // Buddies programs: newcomers and buddies, by the role they registered with.
    private static List<ReportSegment> BuddyRoleSegments(ReportInputs inputs, Dictionary<string, Participant> people)
    {
        string Of(string id) => SegmentOf(people.GetValueOrDefault(id), BuiltInQuestions.Role);
        var segments = people.Keys.Select(Of).Distinct(StringComparer.Ordinal)
            .OrderBy(s => BuiltInQuestions.RoleOptions.Buddies.ToList().IndexOf(s) is var i and >= 0 ? i : 99).ThenBy(s => s, StringComparer.Ordinal);
        return [.. segments.Select(segment => new ReportSegment(segment, Figures(inputs, id => Of(id) == segment)))];
    }

    /// <summary>A participant's segment for a built-in question: their (first) answer, or <see cref="ProgramReportData.NoAnswer"/>.</summary>
    public static string SegmentOf(Participant? participant, string questionKey) =>
        participant?.SingleAnswer(questionKey) is { } answer && !string.IsNullOrWhiteSpace(answer) ? answer.Trim() : ProgramReportData.NoAnswer;

    private static List<ReportSegment> Segments(ReportInputs inputs, Dictionary<string, Participant> people, string questionKey)
    {
        string Of(string participantId) => SegmentOf(people.GetValueOrDefault(participantId), questionKey);
        var everyone = inputs.Participants.Select(p => p.Id)
            .Concat(inputs.Matches.SelectMany(m => m.Members.Select(x => x.ParticipantId)))
            .Concat(inputs.CheckIns.Select(c => c.ParticipantId))
            .Concat(inputs.Surveys.Select(s => s.ParticipantId));
        var segments = everyone.Select(Of).Distinct(StringComparer.Ordinal)
            .OrderBy(s => s == ProgramReportData.NoAnswer ? 1 : 0)
            .ThenBy(s => s, StringComparer.OrdinalIgnoreCase).ThenBy(s => s, StringComparer.Ordinal);
        return [.. segments.Select(segment => new ReportSegment(segment, Figures(inputs, id => Of(id) == segment)))];
    }

    private static ReportFigures Figures(ReportInputs inputs, Func<string, bool> includes, Func<SurveyRecord, bool>? includesSurvey = null)
    {
        var participants = inputs.Participants.Where(p => includes(p.Id)).ToList();
        var matches = inputs.Matches.Where(m => m.Members.Any(x => includes(x.ParticipantId))).ToList();
        var matchIds = matches.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var knownMatchIds = inputs.Matches.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var lastRound = inputs.Rounds.OrderBy(r => r.PublishedAt).ThenBy(r => r.WindowId, StringComparer.Ordinal).LastOrDefault();

        var meetings = inputs.CheckIns
            .Where(c => c.Answer == CheckInAnswer.Met
                && (matchIds.Contains(c.MatchId) || (!knownMatchIds.Contains(c.MatchId) && includes(c.ParticipantId))))
            .GroupBy(c => (c.MatchId, c.Round))
            .Select(g => g.Max(c => Math.Max(0, c.Minutes ?? 0)))
            .ToList();
        var checkIns = inputs.CheckIns.Where(c => includes(c.ParticipantId)).ToList();

        return new ReportFigures
        {
            Enrolled = new EnrolledFigures(participants.Count(p => p.Status == ParticipantStatus.Registered),
                participants.Count(p => p.Status == ParticipantStatus.Withdrawn)),
            Matched = inputs.Matches.SelectMany(m => m.Members.Select(x => x.ParticipantId)).Where(includes).Distinct(StringComparer.Ordinal).Count(),
            Waitlisted = lastRound?.WaitlistedParticipantIds.Where(includes).Distinct(StringComparer.Ordinal).Count() ?? 0,
            Pairs = new PairFigures(
                matches.Count(m => m.Status == MatchStatus.Active),
                matches.Count(m => m.Status == MatchStatus.Ended),
                matches.Count(m => m.Status == MatchStatus.Active && m.AtRiskSince is not null)),
            Meetings = meetings.Count,
            MentoringHours = Math.Round(meetings.Sum(m => (long)m) / 60.0, 1, MidpointRounding.AwayFromZero),
            CheckIns = Responses(checkIns.Count, checkIns.Count(c => c.Answer != CheckInAnswer.None)),
            Surveys = SurveysOf(inputs, includesSurvey ?? (r => includes(r.ParticipantId))),
        };
    }

    private static List<SurveyFigures> SurveysOf(ReportInputs inputs, Func<SurveyRecord, bool> includes)
    {
        var defined = inputs.Program.Engagement.Surveys;
        var keys = defined.Select(s => s.Key)
            .Concat(inputs.Surveys.Select(s => s.SurveyKey).Where(k => defined.All(d => d.Key != k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var figures = new List<SurveyFigures>();
        foreach (var key in keys)
        {
            var definition = defined.FirstOrDefault(s => s.Key == key);
            var records = inputs.Surveys.Where(r => r.SurveyKey == key && includes(r)).ToList();
            var answered = records.Where(r => r.RespondedAt is not null).Select(r => r.Answers).ToList();

            var scale = definition?.Questions.FirstOrDefault(q => q.Key == SurveyDefinition.Satisfaction)?.Options ?? [];
            var chosen = answered.Select(a => a.GetValueOrDefault(SurveyDefinition.Satisfaction)).OfType<string>().ToList();
            var satisfaction = scale.Concat(chosen.Where(c => !scale.Contains(c, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                .Select(option => new OptionCount(option, chosen.Count(c => c == option)))
                .ToList();

            var npsKey = definition?.Questions.FirstOrDefault(q => q.Type == SurveyQuestionType.Nps)?.Key ?? SurveyDefinition.Recommend;
            var scores = answered
                .Select(a => a.GetValueOrDefault(npsKey) is { } text && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= 10 ? n : -1)
                .Where(n => n >= 0)
                .ToList();
            var promoters = scores.Count(s => s >= 9);
            var detractors = scores.Count(s => s <= 6);
            int? score = scores.Count == 0 ? null : (int)Math.Round(100.0 * (promoters - detractors) / scores.Count, MidpointRounding.AwayFromZero);

            figures.Add(new SurveyFigures
            {
                Key = key,
                Title = definition?.Title ?? key,
                Responses = Responses(records.Count, answered.Count),
                Satisfaction = satisfaction,
                Nps = new NpsFigures(scores.Count, promoters, scores.Count - promoters - detractors, detractors, score),
            });
        }
        return figures;
    }

    private static ResponseFigures Responses(int sent, int answered) => new(sent, answered, Percent(answered, sent));

    /// <summary>A report rate: <paramref name="part"/> of <paramref name="whole"/> in percent, one decimal; null when the whole is zero.</summary>
    internal static double? Percent(int part, int whole) =>
        whole == 0 ? null : Math.Round(100.0 * part / whole, 1, MidpointRounding.AwayFromZero);
}
