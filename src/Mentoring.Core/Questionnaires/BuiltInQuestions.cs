namespace Mentoring.Core.Questionnaires;

/// <summary>
/// Keys every program understands. Email and name live on the participant itself; the others are
/// ordinary answers whose meaning the matching engine knows (hard rules, time-zone distance, preferences).
/// A program may redefine any of them (to give department options and a matching role, say).
/// </summary>
public static class BuiltInQuestions
{
    public const string Email = "email";
    public const string Name = "name";
    public const string Consent = "consent";
    public const string Department = "department";
    public const string Level = "level";
    public const string ManagerEmail = "managerEmail";
    public const string TimeZone = "timeZone";
    /// <summary>Addresses this person must never be paired with.</summary>
    public const string DoNotMatch = "doNotMatch";
    /// <summary>Preferences a participant states about their partner.</summary>
    public const string Preferences = "preferences";
    /// <summary>Roles programs: mentor, mentee or either.</summary>
    public const string Role = "role";
    /// <summary>Roles programs: how many mentees a mentor takes at once (1..the program's maxMentees).</summary>
    public const string Capacity = "capacity";

    public static class RoleOptions
    {
        public const string Mentor = "mentor";
        public const string Mentee = "mentee";
        public const string Either = "either";
        public static readonly IReadOnlyList<string> All = [Mentor, Mentee, Either];
        /// <summary>Buddies programs: a new hire who gets buddies.</summary>
        public const string Newcomer = "newcomer";
        /// <summary>Buddies programs: someone who may be a buddy (of the kinds whose eligibility question they answer yes).</summary>
        public const string Buddy = "buddy";
        public static readonly IReadOnlyList<string> Buddies = [Newcomer, Buddy];
    }

    /// <summary>Buddies programs: the eligible answer of a buddy kind's eligibility question.</summary>
    public const string Yes = "yes";
    public const string No = "no";

    public static class PreferenceOptions
    {
        public const string AnotherDepartment = "another-department";
        public const string SameDepartment = "same-department";
        public const string SimilarLevel = "similar-level";
        public const string SameTimeZone = "same-time-zone";
        public static readonly IReadOnlyList<string> All = [AnotherDepartment, SameDepartment, SimilarLevel, SameTimeZone];
    }

    /// <summary>Keys that are not answers but top-level participant fields.</summary>
    public static readonly IReadOnlySet<string> ParticipantFields = new HashSet<string>(StringComparer.Ordinal) { Email, Name, Consent };

    /// <summary>Defaults used when the program does not define these keys itself.</summary>
    public static readonly IReadOnlyList<Question> Defaults =
    [
        new() { Key = Department, Label = "Department", Type = QuestionType.FreeText },
        new() { Key = Level, Label = "Level", Type = QuestionType.FreeText },
        new() { Key = ManagerEmail, Label = "Manager's email", Type = QuestionType.Email },
        new() { Key = TimeZone, Label = "Time zone", Type = QuestionType.TimeZone },
        new() { Key = DoNotMatch, Label = "People you would rather not be paired with (emails)", Type = QuestionType.Email, Multiple = true },
        new() { Key = Preferences, Label = "Partner preferences", Type = QuestionType.MultiChoice, Options = PreferenceOptions.All },
    ];
}
