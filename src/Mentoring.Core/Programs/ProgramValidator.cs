using System.Text.RegularExpressions;
using Mentoring.Core.Common;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Programs;

/// <summary>Turns a <see cref="ProgramDefinition"/> into a valid <see cref="MentoringProgram"/>, or says every rule it breaks.</summary>
public static partial class ProgramValidator
{
    public const int MinGroupSize = 3;
    public const int MaxGroupSize = 5;
    public const int MaxQuestions = 100;
    public const int MaxWeight = 1000;
    public const int MinSecretLength = 16;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    public static partial Regex ProgramIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    public static partial Regex QuestionKeyPattern();

    /// <exception cref="ValidationFailedException"/>
    public static MentoringProgram Validate(ProgramDefinition definition, string id, IReadOnlyList<string> webhookSecrets,
        DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<FieldError>();

        if (!ProgramIdPattern().IsMatch(id))
        {
            errors.Add(new("id", Rules.Format, "The id must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit."));
        }
        var name = definition.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new("name", Rules.Required, "A program name is required."));
        }
        else if (name.Length > 200)
        {
            errors.Add(new("name", Rules.TooLong, "The name is longer than 200 characters."));
        }
        else if (PlainText.FirstInvisible(name, allowJoiners: true) is { } invisible)
        {
            // The program's name heads every mail subject: nothing in it may break a line or hide text.
            errors.Add(new("name", Rules.ControlCharacter,
                $"The name contains the control or invisible character {PlainText.CodePoint(invisible)} (line breaks, tabs, NUL, ESC and direction overrides are not allowed)."));
        }

        var kind = definition.Kind ?? ProgramKind.Cohort;
        if (definition.Kind is null)
        {
            errors.Add(new("kind", Rules.Required, "The kind is required: cohort, evergreen or groups."));
        }
        if (kind == ProgramKind.Groups && definition.GroupSize is not (>= MinGroupSize and <= MaxGroupSize))
        {
            errors.Add(new("groupSize", Rules.OutOfRange, $"Group programs need a groupSize from {MinGroupSize} to {MaxGroupSize}."));
        }
        if (kind != ProgramKind.Groups && definition.GroupSize is not null)
        {
            errors.Add(new("groupSize", Rules.OutOfRange, "groupSize applies to group programs only."));
        }

        var pairing = definition.Pairing ?? PairingShape.Peers;
        var roles = definition.Roles ?? new RolePolicy();
        var buddies = definition.Buddies ?? new BuddyPolicy();
        var questionnaire = WithRoleQuestions(definition.Questionnaire ?? new Questionnaire(), pairing, roles, buddies);
        ValidatePairing(kind, pairing, roles, definition.Roles is not null, definition.Buddies, questionnaire, errors);

        var window = definition.Registration ?? new RegistrationWindow();
        if (window.OpensAt is { } opens && window.ClosesAt is { } closes && closes <= opens)
        {
            errors.Add(new("registration.closesAt", Rules.InvalidWindow, "Registration must close after it opens."));
        }
        if (kind == ProgramKind.Evergreen && window.ClosesAt is not null)
        {
            errors.Add(new("registration.closesAt", Rules.InvalidWindow, "Evergreen programs are always open; leave closesAt out."));
        }

        var adminChecks = (definition.AdminEmails ?? []).Select(EmailAddress.Check).ToList();
        var admins = adminChecks.Select(c => c.Canonical ?? "").ToList();
        if (admins.Count == 0)
        {
            errors.Add(new("adminEmails", Rules.Required, "At least one admin email is required: drafts are sent there for approval."));
        }
        for (var i = 0; i < adminChecks.Count; i++)
        {
            if (!adminChecks[i].IsValid)
            {
                errors.Add(new($"adminEmails[{i}]", adminChecks[i].Rule!, adminChecks[i].Detail!));
            }
        }

        var timeZone = TimeZones.Canonical(definition.TimeZone ?? "UTC");
        if (timeZone is null)
        {
            errors.Add(new("timeZone", Rules.InvalidTimeZone, $"'{definition.TimeZone}' is not a known IANA time zone."));
        }

        ValidateQuestions(questionnaire, errors);

        for (var i = 0; i < webhookSecrets.Count; i++)
        {
            if (webhookSecrets[i] is null || webhookSecrets[i].Length < MinSecretLength)
            {
                errors.Add(new($"webhookSecrets[{i}]", Rules.TooLong, $"Webhook secrets must be at least {MinSecretLength} characters."));
            }
        }

        var fieldMaps = definition.FieldMaps ?? new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var (provider, map) in fieldMaps)
        {
            foreach (var (fieldId, key) in map)
            {
                if (!BuiltInQuestions.ParticipantFields.Contains(key) && questionnaire.Find(key) is null)
                {
                    errors.Add(new($"fieldMaps.{provider}.{fieldId}", Rules.UnknownQuestion,
                        $"Field '{fieldId}' maps to '{key}', which is not a question key of this program."));
                }
            }
        }

        var windows = definition.Windows ?? new WindowPolicy();
        if (windows.ReminderIntervalHours is < 1 or > 24 * 30)
        {
            errors.Add(new("windows.reminderIntervalHours", Rules.OutOfRange, "Reminders go out every 1 to 720 hours."));
        }
        if (windows.RemindersBeforeExpiry is < 0 or > 20)
        {
            errors.Add(new("windows.remindersBeforeExpiry", Rules.OutOfRange, "From 0 to 20 reminders before a draft expires."));
        }
        if (windows.EvergreenRoundDays is < 1 or > 366)
        {
            errors.Add(new("windows.evergreenRoundDays", Rules.OutOfRange, "Evergreen rounds last 1 to 366 days."));
        }

        var engagement = definition.Engagement ?? new EngagementPolicy();
        ValidateEngagement(engagement, errors);
        AgendaValidator.Validate(definition.Agendas, pairing, errors);
        var choosing = definition.Choosing ?? new ChoosingPolicy();
        ValidateChoosing(choosing, kind, pairing, questionnaire, errors);

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return new MentoringProgram
        {
            Id = id,
            Name = name,
            Kind = kind,
            GroupSize = kind == ProgramKind.Groups ? definition.GroupSize : null,
            Pairing = pairing,
            Roles = roles,
            Buddies = buddies,
            Registration = window,
            AdminEmails = admins,
            TimeZone = timeZone!,
            Questionnaire = questionnaire,
            WebhookSecrets = webhookSecrets,
            FieldMaps = fieldMaps,
            Matching = definition.Matching ?? new MatchingPolicy(),
            Choosing = choosing,
            Windows = windows,
            Engagement = engagement,
            Agendas = definition.Agendas is null ? null : AgendaValidator.Trimmed(definition.Agendas),
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
        };
    }

    public const int MaxMentees = 10;
    /// <summary>Led groups: a lead with 2 to 6 mentees.</summary>
    public const int MinLedGroupMentees = 2;
    public const int MaxLedGroupMentees = 6;
    public const int MaxBuddyKinds = 6;
    public const int MaxBuddyCapacity = 10;

    /// <summary>The capacity answers a roles program allows: 1..maxMentees, or minMentees..maxMentees for led groups.</summary>
    private static int MinCapacity(PairingShape pairing, RolePolicy roles) =>
        pairing == PairingShape.GroupsLed ? roles.MinMentees ?? MinLedGroupMentees : 1;

    /// <summary>Roles programs get the built-in role and capacity questions, buddies programs the role and eligibility
    /// questions, unless they define those keys themselves.</summary>
    private static Questionnaire WithRoleQuestions(Questionnaire questionnaire, PairingShape pairing, RolePolicy roles, BuddyPolicy buddies)
    {
        if (pairing == PairingShape.Peers)
        {
            return questionnaire;
        }
        var added = new List<Question>(questionnaire.Questions);
        bool Defined(string key) => added.Any(q => q.Key == key);
        if (pairing == PairingShape.Buddies)
        {
            if (!Defined(BuiltInQuestions.Role))
            {
                added.Add(new Question
                {
                    Key = BuiltInQuestions.Role, Label = "Do you join as a newcomer, or as a buddy for newcomers?", Type = QuestionType.SingleChoice,
                    Options = BuiltInQuestions.RoleOptions.Buddies, Required = true,
                });
            }
            foreach (var kind in buddies.Kinds ?? [])
            {
                if (kind?.Eligibility is { } key && QuestionKeyPattern().IsMatch(key) && !Defined(key) && !BuiltInQuestions.Defaults.Any(d => d.Key == key))
                {
                    added.Add(new Question
                    {
                        Key = key, Label = $"Buddies: can you be a {kind.Name}?", Type = QuestionType.SingleChoice,
                        Options = [BuiltInQuestions.Yes, BuiltInQuestions.No],
                    });
                }
            }
            return questionnaire with { Questions = added };
        }
        var led = pairing == PairingShape.GroupsLed;
        if (!Defined(BuiltInQuestions.Role))
        {
            added.Add(new Question
            {
                Key = BuiltInQuestions.Role,
                Label = led ? "Do you join as a group lead (mentor), a mentee, or either?" : "Do you join as a mentor, a mentee, or either?",
                Type = QuestionType.SingleChoice, Options = BuiltInQuestions.RoleOptions.All, Required = true,
            });
        }
        var min = MinCapacity(pairing, roles);
        if (!Defined(BuiltInQuestions.Capacity) && roles.MaxMentees is >= 1 and <= MaxMentees && min >= 1 && min <= roles.MaxMentees)
        {
            added.Add(new Question
            {
                Key = BuiltInQuestions.Capacity,
                Label = led ? "Group leads: how many mentees can your group take?" : "Mentors: how many mentees can you take at once?",
                Type = QuestionType.OrdinalScale,
                Options = [.. Enumerable.Range(min, roles.MaxMentees - min + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            });
        }
        return questionnaire with { Questions = added };
    }

    private static string ShapeName(PairingShape pairing) => pairing switch
    {
        PairingShape.MentorMentee => "mentorMentee",
        PairingShape.Reverse => "reverse",
        PairingShape.GroupsLed => "groupsLed",
        PairingShape.Buddies => "buddies",
        _ => "peers",
    };

    private static void ValidatePairing(ProgramKind kind, PairingShape pairing, RolePolicy roles, bool rolesGiven, BuddyPolicy? buddies,
        Questionnaire questionnaire, List<FieldError> errors)
    {
        if (pairing != PairingShape.Buddies && buddies is not null)
        {
            errors.Add(new("buddies", Rules.OutOfRange, "buddies applies to buddies programs only."));
        }
        if (pairing != PairingShape.GroupsLed && roles.MinMentees is not null)
        {
            errors.Add(new("roles.minMentees", Rules.OutOfRange, "roles.minMentees applies to groupsLed programs only (the smallest led group)."));
        }
        if (pairing == PairingShape.Peers)
        {
            if (rolesGiven)
            {
                errors.Add(new("roles", Rules.OutOfRange, "roles applies to mentorMentee, reverse and groupsLed programs only; peers have no roles."));
            }
            return;
        }
        if (kind == ProgramKind.Groups)
        {
            errors.Add(new("pairing", Rules.OutOfRange, pairing == PairingShape.GroupsLed
                ? "A groups program matches peers into groups of groupSize; for groups with a lead use pairing groupsLed in a cohort or evergreen program (roles.maxMentees is the largest group)."
                : $"Group programs match peers into groups; {ShapeName(pairing)} is for a cohort or evergreen program."));
        }
        if (pairing == PairingShape.Buddies)
        {
            if (kind == ProgramKind.Evergreen)
            {
                // A buddy's kind is not yet carried from round to round, so a newcomer missing one kind could not be offered only that kind.
                errors.Add(new("pairing", Rules.OutOfRange, "Buddies programs run as cohorts (one intake per matching window); evergreen buddies are not available yet."));
            }
            ValidateBuddies(rolesGiven, buddies, questionnaire, errors);
            return;
        }
        if (pairing == PairingShape.GroupsLed)
        {
            if (roles.MaxMentees is < MinLedGroupMentees or > MaxLedGroupMentees)
            {
                errors.Add(new("roles.maxMentees", Rules.OutOfRange, $"A led group has {MinLedGroupMentees} to {MaxLedGroupMentees} mentees: roles.maxMentees (the largest group) is {MinLedGroupMentees} to {MaxLedGroupMentees}."));
            }
            if (roles.MinMentees is { } min && (min < MinLedGroupMentees || min > Math.Min(roles.MaxMentees, MaxLedGroupMentees)))
            {
                errors.Add(new("roles.minMentees", Rules.OutOfRange, $"roles.minMentees (the smallest led group) is {MinLedGroupMentees} to roles.maxMentees ({roles.MaxMentees})."));
            }
        }
        else if (roles.MaxMentees is < 1 or > MaxMentees)
        {
            errors.Add(new("roles.maxMentees", Rules.OutOfRange, $"A mentor takes 1 to {MaxMentees} mentees at once."));
        }
        if (roles.SeniorityGap is < 0 or > 10)
        {
            errors.Add(new("roles.seniorityGap", Rules.OutOfRange, "The seniority gap is 0 to 10 levels."));
        }
        var role = questionnaire.Find(BuiltInQuestions.Role);
        if (role is not null && (role.Type != QuestionType.SingleChoice || role.Options.Any(o => !BuiltInQuestions.RoleOptions.All.Contains(o)) || !role.Options.Contains(BuiltInQuestions.RoleOptions.Mentor) || !role.Options.Contains(BuiltInQuestions.RoleOptions.Mentee)))
        {
            errors.Add(new("questionnaire.role", Rules.WrongType, "In a roles program the 'role' question is a single choice of mentor, mentee and optionally either."));
        }
        var capacity = questionnaire.Find(BuiltInQuestions.Capacity);
        var lowest = MinCapacity(pairing, roles);
        if (capacity is not null && (capacity.Type != QuestionType.OrdinalScale
            || capacity.Options.Any(o => !int.TryParse(o, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < lowest || n > roles.MaxMentees)))
        {
            errors.Add(new("questionnaire.capacity", Rules.WrongType, pairing == PairingShape.GroupsLed
                ? $"In a groupsLed program the 'capacity' question (the group size a lead takes) is an ordinal scale of whole numbers from roles.minMentees ({lowest}) to roles.maxMentees ({roles.MaxMentees})."
                : $"In a roles program the 'capacity' question is an ordinal scale of whole numbers from 1 to roles.maxMentees ({roles.MaxMentees})."));
        }
    }

    private static void ValidateBuddies(bool rolesGiven, BuddyPolicy? buddies, Questionnaire questionnaire, List<FieldError> errors)
    {
        if (rolesGiven)
        {
            errors.Add(new("roles", Rules.OutOfRange, "roles applies to mentorMentee, reverse and groupsLed programs; a buddies program sets each kind's capacity in buddies.kinds."));
        }
        var kinds = buddies?.Kinds ?? [];
        if (kinds.Count == 0)
        {
            errors.Add(new("buddies.kinds", Rules.Required, "A buddies program lists the kinds of buddy each newcomer gets, for example [{\"key\": \"culture\", \"eligibility\": \"cultureBuddy\"}]."));
        }
        else if (kinds.Count > MaxBuddyKinds)
        {
            errors.Add(new("buddies.kinds", Rules.OutOfRange, $"At most {MaxBuddyKinds} kinds of buddy."));
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var eligibility = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < kinds.Count; i++)
        {
            var at = $"buddies.kinds[{i}]";
            var kind = kinds[i];
            if (kind is null)
            {
                errors.Add(new(at, Rules.Required, "A buddy kind is an object with key, eligibility and capacity."));
                continue;
            }
            if (kind.Key is null || !QuestionKeyPattern().IsMatch(kind.Key))
            {
                errors.Add(new($"{at}.key", Rules.Format, "A buddy kind's key is 1-64 letters, digits or underscores, starting with a letter."));
            }
            else if (!keys.Add(kind.Key))
            {
                errors.Add(new($"{at}.key", Rules.Duplicate, $"The buddy kind '{kind.Key}' is listed twice."));
            }
            if (kind.Label is { Length: > 100 })
            {
                errors.Add(new($"{at}.label", Rules.TooLong, "A buddy kind's label is at most 100 characters."));
            }
            if (kind.Capacity is < 1 or > MaxBuddyCapacity)
            {
                errors.Add(new($"{at}.capacity", Rules.OutOfRange, $"One buddy takes 1 to {MaxBuddyCapacity} newcomers of a kind at once."));
            }
            if (kind.Eligibility is null || !QuestionKeyPattern().IsMatch(kind.Eligibility))
            {
                errors.Add(new($"{at}.eligibility", Rules.Required, "Each buddy kind names its eligibility question's key (yes/no: can you be this kind of buddy)."));
                continue;
            }
            if (!eligibility.Add(kind.Eligibility))
            {
                errors.Add(new($"{at}.eligibility", Rules.Duplicate, $"The eligibility question '{kind.Eligibility}' serves two kinds; each kind has its own."));
            }
            var question = questionnaire.Questions.FirstOrDefault(q => q.Key == kind.Eligibility);
            if (question is null || kind.Eligibility == BuiltInQuestions.Role || BuiltInQuestions.Defaults.Any(d => d.Key == kind.Eligibility)
                || question.Type != QuestionType.SingleChoice || !question.Options.Contains(BuiltInQuestions.Yes, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new($"{at}.eligibility", Rules.WrongType,
                    $"The eligibility question '{kind.Eligibility}' is a single choice with the option yes (people with the buddy role who answer yes can be a {kind.Name}); leave it out of the questionnaire to get one."));
            }
        }
        var role = questionnaire.Find(BuiltInQuestions.Role);
        if (role is not null && (role.Type != QuestionType.SingleChoice || role.Options.Count != 2
            || !role.Options.Contains(BuiltInQuestions.RoleOptions.Newcomer) || !role.Options.Contains(BuiltInQuestions.RoleOptions.Buddy)))
        {
            errors.Add(new("questionnaire.role", Rules.WrongType, "In a buddies program the 'role' question is a single choice of newcomer and buddy."));
        }
    }

    private static void ValidateChoosing(ChoosingPolicy choosing, ProgramKind kind, PairingShape pairing, Questionnaire questionnaire, List<FieldError> errors)
    {
        if (choosing.Mode == PairingMode.AdminLed)
        {
            return;
        }
        // Led groups and buddies are refused: a group or a set of buddies of each kind is not something one pick and one
        // answer can form.
        if (kind == ProgramKind.Groups || pairing is not (PairingShape.Peers or PairingShape.MentorMentee or PairingShape.Reverse))
        {
            errors.Add(new("choosing.mode", Rules.OutOfRange, "User-led pairing is available for one-to-one pairs (pairing peers, mentorMentee or reverse) in cohort or evergreen programs, not for groups, groupsLed or buddies."));
        }
        if (choosing.Suggestions is < 1 or > ChoosingPolicy.MaxSuggestions)
        {
            errors.Add(new("choosing.suggestions", Rules.OutOfRange, $"People see 1 to {ChoosingPolicy.MaxSuggestions} suggestions."));
        }
        if (choosing.MaxPicks < 1 || choosing.MaxPicks > Math.Min(ChoosingPolicy.MaxPicksAllowed, choosing.Suggestions))
        {
            errors.Add(new("choosing.maxPicks", Rules.OutOfRange, $"People pick 1 to {ChoosingPolicy.MaxPicksAllowed} partners, and no more than the suggestions they see."));
        }
        if (choosing.ChoosingDays is < 1 or > ChoosingPolicy.MaxChoosingDays)
        {
            errors.Add(new("choosing.choosingDays", Rules.OutOfRange, $"Choosing lasts 1 to {ChoosingPolicy.MaxChoosingDays} days."));
        }
        for (var i = 0; i < (choosing.ShownAnswers?.Count ?? 0); i++)
        {
            var key = choosing.ShownAnswers![i];
            if (key is null || questionnaire.Find(key) is not { } question)
            {
                errors.Add(new($"choosing.shownAnswers[{i}]", Rules.UnknownQuestion, $"'{key}' is not a question of this program."));
            }
            else if (question.Type == QuestionType.Email)
            {
                errors.Add(new($"choosing.shownAnswers[{i}]", Rules.WrongType, "Email answers are never shown to other participants."));
            }
        }
    }

    private static void ValidateEngagement(EngagementPolicy engagement, List<FieldError> errors)
    {
        if (engagement.CheckInEveryDays is < 1 or > 90)
        {
            errors.Add(new("engagement.checkInEveryDays", Rules.OutOfRange, "Check-ins go out every 1 to 90 days."));
        }
        if (engagement.AtRiskAfterRounds is < 1 or > 10)
        {
            errors.Add(new("engagement.atRiskAfterRounds", Rules.OutOfRange, "A pair is at risk after 1 to 10 quiet rounds."));
        }
        if (engagement.ProgramLengthDays is < 1 or > 730)
        {
            errors.Add(new("engagement.programLengthDays", Rules.OutOfRange, "Programs run 1 to 730 days."));
        }
        if (engagement.SummaryEveryDays is < 0 or > 28)
        {
            errors.Add(new("engagement.summaryEveryDays", Rules.OutOfRange, "The admins' summary goes out every 1 to 28 days (7: weekly), or 0 for never."));
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < engagement.Surveys.Count; i++)
        {
            var survey = engagement.Surveys[i];
            var at = $"engagement.surveys[{i}]";
            if (survey.Key is null || !QuestionKeyPattern().IsMatch(survey.Key) || !keys.Add(survey.Key))
            {
                errors.Add(new($"{at}.key", Rules.Format, "Survey keys are unique: letters, digits or underscores, starting with a letter."));
            }
            if (survey.SendAfterDays is < 0 or > 730 || survey.RemindEveryDays is < 1 or > 60 || survey.MaxReminders is < 0 or > 10
                || survey.OpenForDays is < 1 or > 180)
            {
                errors.Add(new(at, Rules.OutOfRange, "sendAfterDays 0-730, remindEveryDays 1-60, maxReminders 0-10, openForDays 1-180."));
            }
            if (survey.Questions.Count == 0)
            {
                errors.Add(new($"{at}.questions", Rules.Required, "A survey asks at least one question."));
            }
            for (var q = 0; q < survey.Questions.Count; q++)
            {
                var question = survey.Questions[q];
                if (question.Type == SurveyQuestionType.SingleChoice && question.Options.Count == 0)
                {
                    errors.Add(new($"{at}.questions[{q}].options", Rules.Required, "A single-choice survey question needs options."));
                }
            }
        }
    }

    private static void ValidateQuestions(Questionnaire questionnaire, List<FieldError> errors)
    {
        var questions = questionnaire.Questions;
        if (questions.Count > MaxQuestions)
        {
            errors.Add(new("questionnaire.questions", Rules.OutOfRange, $"At most {MaxQuestions} questions."));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var at = $"questionnaire.questions[{i}]";
            if (q.Key is null || !QuestionKeyPattern().IsMatch(q.Key))
            {
                errors.Add(new($"{at}.key", Rules.Format, "A question key is 1-64 letters, digits or underscores, starting with a letter."));
                continue;
            }
            if (!seen.Add(q.Key))
            {
                errors.Add(new($"{at}.key", Rules.Duplicate, $"The key '{q.Key}' is used twice."));
            }
            if (BuiltInQuestions.ParticipantFields.Contains(q.Key))
            {
                errors.Add(new($"{at}.key", Rules.Format, $"'{q.Key}' is a participant field, not a question."));
            }
            var isChoice = q.Type is QuestionType.SingleChoice or QuestionType.MultiChoice or QuestionType.OrdinalScale;
            if (isChoice && q.Options.Count == 0)
            {
                errors.Add(new($"{at}.options", Rules.Required, $"A {q.Type} question needs options."));
            }
            if (!isChoice && q.Options.Count > 0)
            {
                errors.Add(new($"{at}.options", Rules.OutOfRange, "Only choice and ordinal-scale questions take options."));
            }
            if (q.Options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != q.Options.Count)
            {
                errors.Add(new($"{at}.options", Rules.Duplicate, "Options must be distinct."));
            }
            if (q.Multiple && q.Type != QuestionType.Email)
            {
                errors.Add(new($"{at}.multiple", Rules.OutOfRange, "Only email questions take 'multiple'; use multiChoice for choices."));
            }
            if (q.Weight is < 0 or > MaxWeight)
            {
                errors.Add(new($"{at}.weight", Rules.OutOfRange, $"Weights are integers from 0 to {MaxWeight}."));
            }
            ValidateRole(questionnaire, q, at, errors);
        }
    }

    private static void ValidateRole(Questionnaire questionnaire, Question q, string at, List<FieldError> errors)
    {
        switch (q.Role)
        {
            case MatchingRole.Complementary:
                var wants = q.ComplementKey is null ? null : questionnaire.Find(q.ComplementKey);
                if (wants is null)
                {
                    errors.Add(new($"{at}.complementKey", Rules.UnknownQuestion,
                        "A complementary question names the question it pairs with in complementKey (offers -> wants)."));
                }
                else if (wants.Type is not (QuestionType.SingleChoice or QuestionType.MultiChoice) || q.Type is not (QuestionType.SingleChoice or QuestionType.MultiChoice))
                {
                    errors.Add(new($"{at}.complementKey", Rules.WrongType, "Complementary questions and their complement must be choice questions."));
                }
                break;
            case MatchingRole.Overlap when q.Type != QuestionType.MultiChoice:
                errors.Add(new($"{at}.role", Rules.WrongType, "Overlap compares multi-choice answers."));
                break;
            case MatchingRole.Similar when q.Type is QuestionType.MultiChoice or QuestionType.Email:
                errors.Add(new($"{at}.role", Rules.WrongType, "Similar compares single answers: ordinal scale, single choice, free text or time zone."));
                break;
            case MatchingRole.Different when q.Type is QuestionType.MultiChoice or QuestionType.Email:
                errors.Add(new($"{at}.role", Rules.WrongType, "Different compares single answers: single choice, ordinal scale or free text."));
                break;
            default:
                break;
        }
        if (q.Role != MatchingRole.Complementary && q.ComplementKey is not null)
        {
            errors.Add(new($"{at}.complementKey", Rules.OutOfRange, "complementKey applies to complementary questions only."));
        }
    }
}
