using Mentoring.Core.Participants;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Matching.Scoring;

/// <summary>Roles programs: scores read (mentor, mentee); the mentor sits <paramref name="SeniorityGap"/> levels above the mentee, or below when <paramref name="Reverse"/>.</summary>
public sealed record RoleDirection(int SeniorityGap, bool Reverse);

/// <summary>
/// Integer pair scores from a program's questionnaire, precompiled for a fixed list of participants (indexed 0..n-1).
/// Every question with a matching role and a positive weight is one criterion; the built-in <c>preferences</c>
/// question (whatever role it is given) adds a bonus per satisfied preference (<see cref="ScoringOptions.PreferencePoints"/>, or the question's own
/// weight when the program gives it one). Missing answers score 0, never a penalty. Scores are integers so that the
/// optimum over them is exact. <see cref="Score"/> is cheap and allocation-free; <see cref="Explain"/> is for chosen pairs.
/// </summary>
public sealed class PairScorer
{
    private readonly Criterion[] _criteria;
    // The same criteria by concrete (sealed) type, so that the hot path makes direct, inlinable calls.
    private readonly OrdinalSimilar[] _ordinalSimilar;
    private readonly OrdinalDifferent[] _ordinalDifferent;
    private readonly Categorical[] _categorical;
    private readonly TimeZoneDistance[] _timeZones;
    private readonly SetOverlap[] _sets;
    private readonly Complementary[] _complementary;
    private readonly MentorOffersMenteeWants[] _offersWants;
    private readonly SeniorityFit[] _seniority;
    private readonly Preferences? _preferences;
    private readonly string[] _names;
    private readonly List<string> _notes;

    private PairScorer(Criterion[] criteria, string[] names, List<string> notes)
    {
        _criteria = criteria;
        _ordinalSimilar = [.. criteria.OfType<OrdinalSimilar>()];
        _ordinalDifferent = [.. criteria.OfType<OrdinalDifferent>()];
        _categorical = [.. criteria.OfType<Categorical>()];
        _timeZones = [.. criteria.OfType<TimeZoneDistance>()];
        _sets = [.. criteria.OfType<SetOverlap>()];
        _complementary = [.. criteria.OfType<Complementary>()];
        _offersWants = [.. criteria.OfType<MentorOffersMenteeWants>()];
        _seniority = [.. criteria.OfType<SeniorityFit>()];
        _preferences = criteria.OfType<Preferences>().SingleOrDefault();
        _names = names;
        _notes = notes;
        foreach (var c in criteria)
        {
            MaxPairScore += c is Preferences ? c.Weight * 2 * BuiltInQuestions.PreferenceOptions.All.Count : c.Weight;
        }
    }

    public int Count => _names.Length;

    /// <summary>An upper bound on any pair's score.</summary>
    public int MaxPairScore { get; }

    /// <summary>Questions with a matching role that could not be used, and why.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The (criterion key, kind, weight) triples in scoring order.</summary>
    public IEnumerable<(string Key, CriterionKind Kind, int Weight)> Criteria => _criteria.Select(c => (c.Key, c.Kind, c.Weight));

    /// <param name="roles">Roles programs: scores become directional, read as (mentor, mentee). A complementary question
    /// then counts what the mentor offers (the question) against what the mentee wants (its complement), and the level
    /// scale with role "similar" rewards the mentor sitting the seniority gap above the mentee (below for reverse).
    /// Null for peers: every score is symmetric.</param>
    public static PairScorer Compile(Questionnaire questionnaire, IReadOnlyList<Participant> people, DateTimeOffset at, ScoringOptions? options = null,
        RoleDirection? roles = null)
    {
        ArgumentNullException.ThrowIfNull(questionnaire);
        ArgumentNullException.ThrowIfNull(people);
        options ??= new ScoringOptions();
        var notes = new List<string>();
        var criteria = new List<Criterion>();
        var effective = questionnaire.Effective;
        var offsetColumns = new Dictionary<string, OffsetColumn>(StringComparer.Ordinal);
        OffsetColumn Offsets(string key)
        {
            if (!offsetColumns.TryGetValue(key, out var column))
            {
                column = new OffsetColumn(people, key, at);
                offsetColumns.Add(key, column);
            }
            return column;
        }

        var complementPairs = new HashSet<(string, string)>();
        foreach (var q in effective)
        {
            if (q.Role == MatchingRole.None || q.Key == BuiltInQuestions.Preferences)
            {
                continue;
            }
            if (q.Weight <= 0)
            {
                notes.Add($"Question '{q.Key}' has the role {q.Role} but weight {q.Weight}; it does not count.");
                continue;
            }
            var label = LabelOf(q);
            var kind = q.Role switch
            {
                MatchingRole.Similar => CriterionKind.Similar,
                MatchingRole.Different => CriterionKind.Different,
                MatchingRole.Complementary => CriterionKind.Complementary,
                _ => CriterionKind.Overlap,
            };
            if (kind == CriterionKind.Complementary)
            {
                var wants = q.ComplementKey is null ? null : effective.FirstOrDefault(w => w.Key == q.ComplementKey);
                if (wants is null)
                {
                    notes.Add($"Complementary question '{q.Key}' names no existing question as its complement ('{q.ComplementKey}'); it does not count.");
                    continue;
                }
                // An offers/wants couple declared on both questions is one criterion, not two.
                var couple = string.CompareOrdinal(q.Key, wants.Key) <= 0 ? (q.Key, wants.Key) : (wants.Key, q.Key);
                if (!complementPairs.Add(couple))
                {
                    continue;
                }
                var columns = SetColumn.Build(people, [q, wants]);
                criteria.Add(roles is null
                    ? new Complementary(q.Key, label, q.Weight, columns[0], columns[1])
                    : new MentorOffersMenteeWants(q.Key, label, q.Weight, columns[0], columns[1]));
                continue;
            }
            if (roles is not null && q.Key == BuiltInQuestions.Level && q.Type == QuestionType.OrdinalScale && kind == CriterionKind.Similar)
            {
                criteria.Add(new SeniorityFit(q.Key, label, q.Weight, new RankColumn(people, q), roles.SeniorityGap, roles.Reverse));
                continue;
            }
            criteria.Add(q switch
            {
                { IsMultiValued: true } => new SetOverlap(q.Key, label, kind, q.Weight, SetColumn.Build(people, [q])[0]),
                { Type: QuestionType.OrdinalScale } when kind == CriterionKind.Similar => new OrdinalSimilar(q.Key, label, q.Weight, new RankColumn(people, q)),
                { Type: QuestionType.OrdinalScale } when kind == CriterionKind.Different => new OrdinalDifferent(q.Key, label, q.Weight, new RankColumn(people, q)),
                { Type: QuestionType.TimeZone } when kind != CriterionKind.Overlap => new TimeZoneDistance(q.Key, label, kind, q.Weight, Offsets(q.Key), options.TimeZoneZeroMinutes),
                _ => new Categorical(q.Key, label, kind, q.Weight, new CodeColumn(people, q.Key)),
            });
        }

        var wishes = people.Select(p => Preferences.Mask(p.Answer(BuiltInQuestions.Preferences))).ToArray();
        var preferencePoints = questionnaire.Find(BuiltInQuestions.Preferences) is { Weight: > 0 } pq ? pq.Weight : options.PreferencePoints;
        if (preferencePoints > 0 && wishes.Any(w => w != 0))
        {
            var level = questionnaire.Find(BuiltInQuestions.Level);
            var ordinalLevel = level is { Type: QuestionType.OrdinalScale };
            criteria.Add(new Preferences(
                preferencePoints,
                wishes,
                new CodeColumn(people, BuiltInQuestions.Department),
                ordinalLevel ? new RankColumn(people, level!) : null,
                ordinalLevel ? null : new CodeColumn(people, BuiltInQuestions.Level),
                Offsets(BuiltInQuestions.TimeZone),
                options));
        }

        return new PairScorer([.. criteria], [.. people.Select(p => p.Name)], notes);
    }

    /// <summary>The pair's total points (non-negative; symmetric unless compiled with roles, then a is the mentor). Hard rules are not this class's concern.</summary>
    public int Score(int a, int b)
    {
        var total = _preferences is null ? 0 : _preferences.Points(a, b);
        foreach (var c in _ordinalSimilar)
        {
            total += c.Points(a, b);
        }
        foreach (var c in _ordinalDifferent)
        {
            total += c.Points(a, b);
        }
        foreach (var c in _categorical)
        {
            total += c.Points(a, b);
        }
        foreach (var c in _timeZones)
        {
            total += c.Points(a, b);
        }
        foreach (var c in _sets)
        {
            total += c.Points(a, b);
        }
        foreach (var c in _complementary)
        {
            total += c.Points(a, b);
        }
        foreach (var c in _offersWants)
        {
            total += c.Points(a, b);
        }
        foreach (var c in _seniority)
        {
            total += c.Points(a, b);
        }
        return total;
    }

    /// <summary>Per-criterion points and one sentence, e.g. "both chose negotiation (goals); different department (Sales and Legal)".</summary>
    public PairExplanation Explain(int a, int b)
    {
        var points = new List<CriterionPoints>(_criteria.Length);
        var phrases = new List<string>();
        var total = 0;
        foreach (var c in _criteria)
        {
            var p = c.Points(a, b);
            total += p;
            var phrase = p > 0 ? c.Phrase(a, b, p, _names) : null;
            if (phrase is not null)
            {
                phrases.Add(phrase);
            }
            points.Add(new CriterionPoints(c.Key, c.Label, c.Kind, p, c.MaxPoints(a, b), phrase));
        }
        var sentence = phrases.Count > 0 ? string.Join("; ", phrases) : "no criterion scored for this pair";
        return new PairExplanation(total, points, sentence);
    }

    private static string LabelOf(Question q)
    {
        var label = q.Label?.Trim();
        if (string.IsNullOrEmpty(label) || label.Length > 40 || label.EndsWith('?'))
        {
            return q.Key;
        }
        // "Department" reads as "department" mid-sentence; "SQL skills" keeps its capitals.
        return label.Length > 1 && char.IsUpper(label[0]) && char.IsLower(label[1])
            ? char.ToLowerInvariant(label[0]) + label[1..]
            : label;
    }
}
