using Mentoring.Core.Common;
using Mentoring.Core.Matching;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using static Mentoring.Core.Mail.Templates.MailBody;

namespace Mentoring.Core.Mail.Templates;

/// <summary>
/// What an admin can do with a draft. Every link is a GET to a confirmation page (mail link scanners open every
/// link), built by the workflow with its signed token; nothing is decided until the admin confirms there.
/// </summary>
/// <param name="Approve">Confirm page: approve this version (intro emails go out after).</param>
/// <param name="Reject">Confirm page: reject with a reason (a new version follows).</param>
/// <param name="Rerun">Confirm page: compute a fresh draft from the current registrations.</param>
public sealed record DraftActionLinks(Uri Approve, Uri Reject, Uri Rerun)
{
    /// <summary>One link per entry of <see cref="PairDraft.Pairs"/>, same order: forbid that pair and re-draft.</summary>
    public IReadOnlyList<Uri> ForbidPairs { get; init; } = [];

    /// <summary>Optional: a page with the whole draft (for very large programs).</summary>
    public Uri? Details { get; init; }

    /// <summary>The admin's signed link to the program dashboard (sign-in without an account).</summary>
    public Uri? Dashboard { get; init; }

    public Uri? ForbidPair(int pairIndex) =>
        pairIndex >= 0 && pairIndex < ForbidPairs.Count ? ForbidPairs[pairIndex] : null;

    /// <summary>Led groups: per entry of <see cref="PairDraft.Groups"/>, one link per lead-mentee link (same order): forbid it and re-draft. Empty for peer groups.</summary>
    public IReadOnlyList<IReadOnlyList<Uri>> ForbidGroupLinks { get; init; } = [];

    public Uri? ForbidGroupLink(int groupIndex, int linkIndex) =>
        groupIndex >= 0 && groupIndex < ForbidGroupLinks.Count && linkIndex >= 0 && linkIndex < ForbidGroupLinks[groupIndex].Count
            ? ForbidGroupLinks[groupIndex][linkIndex]
            : null;

    /// <summary>One entry per entry of <see cref="PairDraft.Trios"/>, same order.</summary>
    public IReadOnlyList<TrioActionLinks> Trios { get; init; } = [];

    /// <summary>One link per entry of <see cref="PairDraft.Waitlist"/>, same order: include that person in the next draft.</summary>
    public IReadOnlyList<Uri> IncludeWaitlisted { get; init; } = [];

    public TrioActionLinks? Trio(int index) => index >= 0 && index < Trios.Count ? Trios[index] : null;

    public Uri? Include(int index) => index >= 0 && index < IncludeWaitlisted.Count ? IncludeWaitlisted[index] : null;
}

/// <summary>A trio's edit links: forbid each of its links (same order as <see cref="DraftGroup.Links"/>), and split it.</summary>
public sealed record TrioActionLinks(IReadOnlyList<Uri> ForbidLinks, Uri? Split);

/// <summary>Everything the draft email (and its reminders) shows.</summary>
/// <param name="DecideBy">When the window expires without a decision, if it does.</param>
/// <param name="ComputedAt">When this version was computed (the draft's own instant is the window's close).</param>
/// <param name="Changes">From v2 on: what changed against the previous version, and why.</param>
public sealed record DraftMailInput(
    MentoringProgram Program,
    PairDraft Draft,
    int Version,
    string WindowId,
    MailAddress Admin,
    DraftActionLinks Links,
    DateTimeOffset? DecideBy = null,
    DateTimeOffset? ComputedAt = null,
    DraftChanges? Changes = null);

public enum DraftDecision
{
    Approved,
    Rejected,
    Cancelled,
}

/// <summary>Mails to program admins about a pair draft: the draft, reminders, expiry and the decision. Pure functions.</summary>
public static class AdminMail
{
    public static string DraftKey(string programId, string windowId, int version, string adminEmail) =>
        Inv($"draft:{programId}:{windowId}:v{version}:{EmailAddress.Normalise(adminEmail)}");

    public static string ReminderKey(string programId, string windowId, int version, int reminder, string adminEmail) =>
        Inv($"reminder:{programId}:{windowId}:v{version}:r{reminder}:{EmailAddress.Normalise(adminEmail)}");

    public static string ExpiryKey(string programId, string windowId, string adminEmail) =>
        Inv($"expiry:{programId}:{windowId}:{EmailAddress.Normalise(adminEmail)}");

    public static string DecidedKey(string programId, string windowId, int version, string adminEmail) =>
        Inv($"decided:{programId}:{windowId}:v{version}:{EmailAddress.Normalise(adminEmail)}");

    /// <summary>The draft for one admin to approve, reject, re-run, or to forbid single pairs of.</summary>
    public static MailMessage Draft(DraftMailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subject = Inv($"[{input.Program.Name}] Pair draft v{input.Version}: {Summary(input.Draft)} - please review");
        var body = new MailBody().Heading(Inv($"{input.Program.Name}: pair draft v{input.Version} for your approval"));
        WriteDraft(body, input);
        return Message(input, MailCategories.Draft, DraftKey(input.Program.Id, input.WindowId, input.Version, input.Admin.Email), subject, body,
            Inv($"{Summary(input.Draft)}. Approve, reject or re-run."));
    }

    /// <summary>"Draft v3 still waits for a decision (reminder 2 of 3)", with the whole draft again so the admin can act from it.</summary>
    public static MailMessage Reminder(DraftMailInput input, int reminder, int reminders)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(reminder, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reminders, reminder);
        var subject = Inv($"Reminder {reminder} of {reminders}: [{input.Program.Name}] pair draft v{input.Version} still waits for a decision");
        var body = new MailBody().Heading(Inv($"{input.Program.Name}: draft v{input.Version} still waits for a decision"));
        var banner = Inv($"Reminder {reminder} of {reminders}: pair draft v{input.Version} still waits for a decision.");
        if (input.DecideBy is { } decideBy)
        {
            banner += " Without one, the matching window expires on " + MailFormat.LocalTime(decideBy, input.Program.TimeZone) + ".";
        }

        body.Notice(banner);
        WriteDraft(body, input);
        var message = Message(input, MailCategories.Reminder,
            ReminderKey(input.Program.Id, input.WindowId, input.Version, reminder, input.Admin.Email), subject, body, banner);
        return message with { CustomArgs = With(message.CustomArgs, "reminder", Inv($"{reminder}")) };
    }

    /// <summary>The window expired without a decision: nobody was introduced.</summary>
    public static MailMessage Expired(MentoringProgram program, string windowId, int version, MailAddress admin, DateTimeOffset expiredAt,
        Uri? dashboard = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(admin);
        var subject = Inv($"[{program.Name}] The matching window expired without a decision");
        var when = MailFormat.LocalTime(expiredAt, program.TimeZone);
        var body = new MailBody()
            .Heading(Inv($"{program.Name}: the matching window expired"))
            .Notice(Inv($"The matching window expired on {when} without a decision on pair draft v{version}."), warning: true)
            .Paragraph("No pairs were published and no participant was emailed. Participants stay registered.")
            .Paragraph("To match them, open a new matching window for this program.", muted: true);
        if (dashboard is not null)
        {
            body.Button("Open the program dashboard", dashboard, primary: true).EndButtons();
        }
        return new MailMessage
        {
            IdempotencyKey = ExpiryKey(program.Id, windowId, admin.Email),
            To = [admin],
            Subject = OneLine(subject),
            HtmlBody = body.Html(subject, "No pairs were published and no participant was emailed."),
            TextBody = body.Text(),
            Category = MailCategories.Expiry,
            ProgramId = program.Id,
            CustomArgs = Args(program.Id, windowId, version, MailCategories.Expiry),
        };
    }

    /// <summary>Tells every admin what was decided (so the others stop looking at the draft).</summary>
    public static MailMessage Decided(
        MentoringProgram program, string windowId, int version, MailAddress admin, DraftDecision decision, DateTimeOffset at,
        string? decidedBy = null, string? reason = null, Uri? dashboard = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(admin);
        var verb = decision switch
        {
            DraftDecision.Approved => "approved",
            DraftDecision.Rejected => "rejected",
            _ => "cancelled",
        };
        var subject = Inv($"[{program.Name}] Pair draft v{version} was {verb}");
        var by = string.IsNullOrWhiteSpace(decidedBy) ? "" : " by " + decidedBy.Trim();
        var body = new MailBody()
            .Heading(Inv($"{program.Name}: pair draft v{version} was {verb}"))
            .Paragraph(Inv($"Pair draft v{version} was {verb}{by} on {MailFormat.LocalTime(at, program.TimeZone)}."));
        if (!string.IsNullOrWhiteSpace(reason))
        {
            body.Paragraph("Reason: " + reason.Trim());
        }

        body.Paragraph(decision switch
        {
            DraftDecision.Approved => "The pairs are published and each pair gets its intro email now.",
            DraftDecision.Rejected => "A new draft version follows by email; no participant was emailed.",
            _ => "The matching window is closed without pairs; no participant was emailed.",
        }, muted: true);
        if (dashboard is not null)
        {
            body.Button("Open the program dashboard", dashboard, primary: true).EndButtons();
        }
        return new MailMessage
        {
            IdempotencyKey = DecidedKey(program.Id, windowId, version, admin.Email),
            To = [admin],
            Subject = OneLine(subject),
            HtmlBody = body.Html(subject, Inv($"Pair draft v{version} was {verb}{by}.")),
            TextBody = body.Text(),
            Category = MailCategories.Decided,
            ProgramId = program.Id,
            CustomArgs = With(Args(program.Id, windowId, version, MailCategories.Decided), "decision", verb),
        };
    }

    private static void WriteDraft(MailBody body, DraftMailInput input)
    {
        var (program, draft, links) = (input.Program, input.Draft, input.Links);
        var stats = draft.Stats;
        body.Paragraph(Inv($"Computed {MailFormat.LocalTime(input.ComputedAt ?? draft.At, program.TimeZone)} for window {input.WindowId}. No participant has been emailed: nothing goes out until a draft is approved."), muted: true);
        if (input.Changes is { } changes)
        {
            WriteChanges(body, changes, program);
        }

        body.Section("Summary");
        var counts = new List<string>
        {
            Inv($"People: {stats.People}"),
            Inv($"Matched: {stats.PeopleMatched} (pairs: {stats.Pairs}, trios: {stats.Trios}, groups: {stats.Groups})"),
            Inv($"Waitlisted: {stats.PeopleWaitlisted}"),
        };
        if (draft.SetAside.Count > 0)
        {
            counts.Add(Inv($"Set aside (withdrawn or excluded): {draft.SetAside.Count}"));
        }

        var perPair = BestPairScore(draft);
        var led = draft.Groups.Any(g => g.LeadId is not null);
        counts.Add(led
            ? Inv($"Score per group: mean {MailFormat.Number(stats.MeanScore)}, lowest {stats.MinScore}, highest {stats.MaxScore}; each lead-mentee link scores up to {perPair}")
            : Inv($"Score per pair: mean {MailFormat.Number(stats.MeanScore)}, lowest {stats.MinScore}, highest {stats.MaxScore}, of a possible {perPair}"));
        body.Bullets(counts);

        // Plain language here; the objective, method and dual certificate stay in the JSON for whoever wants them.
        if (draft.Certificate is { } certificate)
        {
            var total = Inv($"Total {stats.TotalScore} of a possible {BestTotal(draft, perPair)}.");
            if (certificate.IsOptimal)
            {
                // Buddies are solved per kind, not jointly: the admin reads which, and how close to the joint bound.
                var claim = draft.Pairs.Any(p => p.BuddyKind is not null) ? certificate.Statement + " "
                    : led ? "No other assignment of mentees to these leads scores higher" + (certificate.Statement.Contains("repairs", StringComparison.Ordinal) ? " (after the repairs in the notes below). " : ". ")
                    : "No other set of pairs the rules allow scores higher. ";
                body.Paragraph(claim + total, strong: true);
            }
            else
            {
                body.Notice("The check that no other set of pairs scores higher did not pass (" + (certificate.VerifierReason ?? "no reason given") + "). " + total, warning: true);
            }
        }

        if (draft.GroupSearch is { } search)
        {
            body.Paragraph(search.Summary, strong: true);
        }

        WriteActions(body, links);

        if (draft.Pairs.Count > 0)
        {
            body.Section(Inv($"Pairs ({draft.Pairs.Count})"));
            var weakest = Weakest(draft, perPair);
            for (var i = 0; i < draft.Pairs.Count; i++)
            {
                var pair = draft.Pairs[i];
                var index = i;
                var pinned = pair.Pinned ? " (pinned by an admin)" : "";
                var weak = weakest.Contains(i) ? " - among the weakest, worth a look" : "";
                body.Card(Inv($"{i + 1}. {pair.A.Name} & {pair.B.Name} - score {pair.Score}{pinned}{weak}"), card =>
                {
                    card.Line(Inv($"{pair.A.Name} <{pair.A.Email}> and {pair.B.Name} <{pair.B.Email}>"), muted: true);
                    // The sentence already says why; the points per criterion are in the dashboard (a phone-length mail).
                    card.Line(pair.Sentence);
                    if (links.ForbidPair(index) is { } forbid)
                    {
                        card.Link("Forbid this pair and re-draft", forbid);
                    }
                });
            }
        }

        WriteTrios(body, draft.Trios, links);
        WriteGroups(body, draft.Groups.Any(g => g.LeadId is not null) ? "Led groups" : "Groups", draft.Groups, links);

        if (draft.Waitlist.Count > 0)
        {
            body.Section(Inv($"Waitlist ({draft.Waitlist.Count})"));
            for (var i = 0; i < draft.Waitlist.Count; i++)
            {
                var entry = draft.Waitlist[i];
                var include = links.Include(i);
                body.Card(Inv($"{entry.Person.Name} <{entry.Person.Email}>"), card =>
                {
                    card.Line(entry.Explanation);
                    if (entry.WaitlistedLastRound)
                    {
                        card.Line("Also waited last round.", muted: true);
                    }
                    if (include is not null)
                    {
                        card.Link(Inv($"Include {entry.Person.Name} and re-draft"), include);
                    }
                });
            }
        }

        if (draft.SetAside.Count > 0)
        {
            body.Section(Inv($"Set aside ({draft.SetAside.Count})"));
            body.Bullets(draft.SetAside.Select(s => Inv($"{s.Person.Name} <{s.Person.Email}>: {s.Reason}")));
        }

        if (draft.Notes.Count > 0)
        {
            body.Section("Notes");
            body.Bullets(draft.Notes);
        }

        WriteActions(body, links);
        body.Paragraph("Each link opens a confirmation page; nothing happens until you confirm there. Any admin's decision counts for everyone.", muted: true);
    }

    private static void WriteChanges(MailBody body, DraftChanges changes, MentoringProgram program)
    {
        body.Section(Inv($"What changed since v{changes.FromVersion}"));
        if (changes.Cause is { } cause)
        {
            var what = cause.Action switch
            {
                DecisionAction.ForbidPair => Inv($"{changes.CausePair} was forbidden"),
                DecisionAction.PinPair => Inv($"{changes.CausePair} was pinned"),
                DecisionAction.ExcludeParticipant => "One person was left out",
                DecisionAction.IncludeParticipant => "A waitlisted person was included",
                DecisionAction.Reject => Inv($"v{cause.Version} was rejected"),
                _ => Inv($"v{cause.Version} was re-run"),
            };
            var why = string.IsNullOrWhiteSpace(cause.Reason) ? "." : ": \"" + cause.Reason.Trim() + "\"";
            body.Paragraph(Inv($"{what} by {cause.By} on {MailFormat.LocalTime(cause.At, program.TimeZone)}{why}"));
        }
        var lines = changes.Removed.Select(u => "No longer matched: " + u.Names)
            .Concat(changes.Added.Select(u => Inv($"New: {u.Names} (score {u.Score})")))
            .Concat(changes.NowWaitlisted.Select(p => "Now waitlisted: " + p.Name))
            .Concat(changes.NoLongerWaitlisted.Select(p => "Off the waitlist: " + p.Name))
            .ToList();
        if (lines.Count == 0)
        {
            lines.Add(Inv($"The pairs and the waitlist are the same as in v{changes.FromVersion}."));
        }
        body.Bullets(lines);
    }

    /// <summary>The best score one pair can get: full points on every criterion.</summary>
    private static int BestPairScore(PairDraft draft) =>
        draft.Pairs.Concat(draft.Trios.Concat(draft.Groups).SelectMany(g => g.Links))
            .Select(p => p.Criteria.Sum(c => c.MaxPoints)).DefaultIfEmpty(0).Max();

    /// <summary>The best total for this many matches: every pair (or link inside a trio or group) at full points.</summary>
    private static long BestTotal(PairDraft draft, int perPair) =>
        (long)perPair * (draft.Pairs.Count + draft.Trios.Concat(draft.Groups).Sum(g => Math.Max(1, g.Links.Count)));

    /// <summary>Pairs worth a second look: the lowest score when there are three or more pairs, and any under half of the best.</summary>
    private static HashSet<int> Weakest(PairDraft draft, int perPair)
    {
        var weakest = new HashSet<int>();
        if (draft.Pairs.Count == 0)
        {
            return weakest;
        }
        var lowest = draft.Pairs.Min(p => p.Score);
        for (var i = 0; i < draft.Pairs.Count; i++)
        {
            if ((draft.Pairs.Count >= 3 && draft.Pairs[i].Score == lowest) || draft.Pairs[i].Score * 2 < perPair)
            {
                weakest.Add(i);
            }
        }
        return weakest;
    }

    /// <summary>
    /// A trio is scored like a pair, as the mean of its three links (the sum would not compare with pairs); each link
    /// with its reasons, a forbid link per link and a split link, as pairs have.
    /// </summary>
    private static void WriteTrios(MailBody body, IReadOnlyList<DraftGroup> trios, DraftActionLinks links)
    {
        if (trios.Count == 0)
        {
            return;
        }
        body.Section(Inv($"Trios ({trios.Count})"));
        for (var i = 0; i < trios.Count; i++)
        {
            var trio = trios[i];
            var actions = links.Trio(i);
            body.Card(Inv($"{i + 1}. {MailFormat.Names([.. trio.Members.Select(m => m.Name)])} - score {MailFormat.Number(trio.MeanLinkScore)} per link"), card =>
            {
                card.Line(string.Join(", ", trio.Members.Select(m => Inv($"{m.Name} <{m.Email}>"))), muted: true);
                card.Bullets(trio.Links.Select(l =>
                    Inv($"{l.A.Name} & {l.B.Name}: {l.Score}") + (string.IsNullOrWhiteSpace(l.Sentence) ? "" : " - " + l.Sentence)));
                for (var l = 0; l < trio.Links.Count && actions is not null && l < actions.ForbidLinks.Count; l++)
                {
                    card.Link(Inv($"Forbid {trio.Links[l].A.Name} & {trio.Links[l].B.Name} and re-draft"), actions.ForbidLinks[l]);
                }
                if (actions?.Split is { } split && trio.Members.Count == 3)
                {
                    card.Link(Inv($"Split: keep {trio.Members[0].Name} & {trio.Members[1].Name} as a pair, {trio.Members[2].Name} moves"), split);
                }
            });
        }
    }

    private static void WriteGroups(MailBody body, string title, IReadOnlyList<DraftGroup> groups, DraftActionLinks? links = null)
    {
        if (groups.Count == 0)
        {
            return;
        }

        body.Section(Inv($"{title} ({groups.Count})"));
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (group.LeadId is not null)
            {
                WriteLedGroup(body, i, group, links);
                continue;
            }
            body.Card(Inv($"{i + 1}. {MailFormat.Names([.. group.Members.Select(m => m.Name)])} - score {group.Score}"), card =>
            {
                card.Line(string.Join(", ", group.Members.Select(m => Inv($"{m.Name} <{m.Email}>"))), muted: true);
                card.Bullets(group.Links.Select(l =>
                    Inv($"{l.A.Name} & {l.B.Name}: {l.Score}") + (string.IsNullOrWhiteSpace(l.Sentence) ? "" : " - " + l.Sentence)));
            });
        }
    }

    /// <summary>"1. Ana leads Bo, Cy and Di - score 42", then why each mentee joins the lead.</summary>
    private static void WriteLedGroup(MailBody body, int index, DraftGroup group, DraftActionLinks? links)
    {
        var lead = group.Members.First(m => m.Id == group.LeadId);
        var mentees = MailFormat.Names([.. group.Members.Where(m => m.Id != group.LeadId).Select(m => m.Name)]);
        body.Card(Inv($"{index + 1}. {lead.Name} leads {mentees} - score {group.Score}"), card =>
        {
            card.Line(string.Join(", ", group.Members.Select(m => Inv($"{m.Name} <{m.Email}>"))), muted: true);
            card.Line(Inv($"{lead.Name} will lead a group with {mentees}."));
            card.Bullets(group.Links.Select(l =>
                Inv($"{l.B.Name}: {l.Score}") + (string.IsNullOrWhiteSpace(l.Sentence) ? "" : " - " + l.Sentence)));
            for (var j = 0; j < group.Links.Count; j++)
            {
                if (links?.ForbidGroupLink(index, j) is { } forbid)
                {
                    card.Link(Inv($"Forbid {lead.Name} & {group.Links[j].B.Name} and re-draft"), forbid);
                }
            }
        });
    }

    private static void WriteActions(MailBody body, DraftActionLinks links)
    {
        body.Section("Your decision");
        body.Button("Approve this draft", links.Approve, primary: true)
            .Button("Reject with a reason", links.Reject, danger: true)
            .Button("Re-run the matching", links.Rerun);
        if (links.Details is { } details)
        {
            body.Button("See the whole draft", details);
        }

        if (links.Dashboard is { } dashboard)
        {
            body.Button("Open the program dashboard", dashboard);
        }

        body.EndButtons();
    }

    private static string Summary(PairDraft draft)
    {
        var parts = new List<string>();
        if (draft.Stats.Pairs > 0 || (draft.Stats.Groups == 0 && draft.Stats.Trios == 0))
        {
            parts.Add(MailFormat.Plural(draft.Stats.Pairs, "pair", "pairs"));
        }

        if (draft.Stats.Trios > 0)
        {
            parts.Add(MailFormat.Plural(draft.Stats.Trios, "trio", "trios"));
        }

        if (draft.Stats.Groups > 0)
        {
            parts.Add(MailFormat.Plural(draft.Stats.Groups, "group", "groups"));
        }

        parts.Add(Inv($"{draft.Stats.PeopleWaitlisted} waitlisted"));
        return string.Join(", ", parts);
    }

    private static MailMessage Message(DraftMailInput input, string category, string key, string subject, MailBody body, string preheader) => new()
    {
        IdempotencyKey = key,
        To = [input.Admin],
        Subject = OneLine(subject),
        HtmlBody = body.Html(subject, preheader),
        TextBody = body.Text(),
        Category = category,
        ProgramId = input.Program.Id,
        CustomArgs = Args(input.Program.Id, input.WindowId, input.Version, category),
    };

    private static Dictionary<string, string> Args(string programId, string windowId, int version, string category) =>
        new(StringComparer.Ordinal)
        {
            ["programId"] = programId,
            ["windowId"] = windowId,
            ["draftVersion"] = Inv($"{version}"),
            ["category"] = category,
        };

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> args, string key, string value) =>
        new(args, StringComparer.Ordinal) { [key] = value };
}
