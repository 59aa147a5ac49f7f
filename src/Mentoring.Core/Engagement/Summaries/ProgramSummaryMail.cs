using System.Globalization;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;

namespace Mentoring.Core.Engagement.Summaries;

public static class ProgramSummaryMailCategories
{
    public const string Summary = "summary";
}

/// <summary>The admins' periodic program summary. Pure; every typed string is encoded by <see cref="MailBody"/>.</summary>
public static class ProgramSummaryMail
{
    public static MailMessage Build(ProgramSummaryInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var program = input.Program;
        var total = input.Report.Total;
        var period = input.Period;
        var span = Inv($"{period.From.ToString("d MMM", CultureInfo.InvariantCulture)} to {period.To.AddDays(-1).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}");
        var weekly = period.To.DayNumber - period.From.DayNumber == 7;
        var what = weekly ? "Weekly summary" : "Summary";
        var subject = Inv($"[{program.Name}] {what}: {span}");
        var body = new MailBody()
            .Heading(Inv($"{program.Name}: {span}"));

        var people = Math.Max(1, total.Enrolled.Registered);
        var pairs = Math.Max(1, total.Pairs.Active + total.Pairs.Ended);
        var rows = new List<FigureRow>
        {
            new("Enrolled", N(total.Enrolled.Registered), 1),
            new("Matched", N(total.Matched), total.Matched / (double)people),
            new("Waitlisted", N(total.Waitlisted), total.Waitlisted / (double)people),
            new("Active pairs", N(total.Pairs.Active), total.Pairs.Active / (double)pairs),
            new("At risk", N(total.Pairs.AtRisk), total.Pairs.AtRisk / (double)pairs),
            new("Ended", N(total.Pairs.Ended), total.Pairs.Ended / (double)pairs),
            new(weekly ? "Meetings this week" : "Meetings in the period", N(input.MeetingsInPeriod),
                total.Pairs.Active == 0 ? 0 : Math.Min(1, input.MeetingsInPeriod / (double)total.Pairs.Active)),
            new(weekly ? "Mentoring hours this week" : "Mentoring hours in the period", MailFormat.Number(input.HoursInPeriod),
                total.MentoringHours <= 0 ? 0 : input.HoursInPeriod / total.MentoringHours),
            new("Mentoring hours in all", MailFormat.Number(total.MentoringHours), total.MentoringHours > 0 ? 1 : 0),
            new("Check-in response", Pct(total.CheckIns.ResponseRate), (total.CheckIns.ResponseRate ?? 0) / 100),
        };
        foreach (var survey in total.Surveys.Where(s => s.Responses.Sent > 0))
        {
            rows.Add(new(Inv($"{survey.Title}: response"), Pct(survey.Responses.ResponseRate), (survey.Responses.ResponseRate ?? 0) / 100));
            if (survey.Nps.Score is { } nps)
            {
                rows.Add(new(Inv($"{survey.Title}: NPS"), Inv($"{nps:+0;-0;0} ({MailFormat.Plural(survey.Nps.Answers, "answer", "answers")})"), (nps + 100) / 200.0));
            }
        }
        body.FigureTable("Key figures", rows);

        if (input.NewAtRisk.Count == 0 && input.NeedHelp.Count == 0)
        {
            body.Paragraph(weekly ? "No pair became at risk and nobody asked for help this week." : "No pair became at risk and nobody asked for help in the period.");
        }
        if (input.NewAtRisk.Count > 0)
        {
            body.Section(Inv($"Newly at risk ({input.NewAtRisk.Count})"));
            body.Paragraph(Inv($"{MailFormat.Plural(program.Engagement.AtRiskAfterRounds, "check-in", "check-ins")} in a row without a meeting reported."), muted: true);
            foreach (var match in input.NewAtRisk)
            {
                body.Card(MailFormat.Names([.. match.Members.Select(m => m.Name)]), card =>
                    card.Line(Inv($"At risk since {MailFormat.LocalTime(match.AtRiskSince!.Value, program.TimeZone)}."), muted: true));
            }
            if (input.AtRiskPage is { } atRisk)
            {
                body.Link("Act on at-risk pairs: nudge, end or rematch", atRisk);
            }
        }
        if (input.NeedHelp.Count > 0)
        {
            body.Section(Inv($"Asked for help ({input.NeedHelp.Count})"));
            foreach (var line in input.NeedHelp)
            {
                var asking = line.Match.Members.FirstOrDefault(m => m.ParticipantId == line.Answer.ParticipantId);
                var who = asking?.Name ?? "A participant";
                body.Card(Inv($"{who}, with {MailFormat.Names([.. line.Match.Members.Where(m => m != asking).Select(m => m.Name)])}"), card =>
                {
                    card.Line(Inv($"Asked on {MailFormat.LocalTime(line.Answer.AnsweredAt!.Value, program.TimeZone)}."), muted: true);
                    card.Line(string.IsNullOrWhiteSpace(line.Answer.Note) ? "Did not say what would help." : Inv($"What would help: \"{line.Answer.Note.Trim()}\""));
                    if (asking is not null && Uri.TryCreate("mailto:" + Uri.EscapeDataString(asking.Email).Replace("%40", "@", StringComparison.Ordinal), UriKind.Absolute, out var mailto))
                    {
                        card.Link(Inv($"Write to {who}"), mailto);
                    }
                    if (input.PairsPage is { } pairsPage)
                    {
                        card.Link("Open the pairs in the dashboard", pairsPage);
                    }
                });
            }
        }
        if (input.Dashboard is { } dashboard)
        {
            body.Button("Open the program dashboard", dashboard, primary: true).EndButtons();
        }
        body.Paragraph(program.Engagement.SummaryEveryDays == 7
            ? "You get this summary every Monday as an admin of the program (engagement.summaryEveryDays)."
            : Inv($"You get this summary every {program.Engagement.SummaryEveryDays} days as an admin of the program (engagement.summaryEveryDays)."), muted: true);

        return new MailMessage
        {
            IdempotencyKey = input.IdempotencyKey,
            To = [input.Admin],
            Subject = MailBody.OneLine(subject),
            HtmlBody = body.Html(subject, Inv($"{total.Pairs.Active} active pairs, {input.MeetingsInPeriod} meetings, {input.NewAtRisk.Count} newly at risk, {input.NeedHelp.Count} asked for help.")),
            TextBody = body.Text(),
            Category = ProgramSummaryMailCategories.Summary,
            ProgramId = program.Id,
            CustomArgs = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["programId"] = program.Id,
                ["reference"] = period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["category"] = ProgramSummaryMailCategories.Summary,
            },
        };
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Report rates are percentages (0-100), rounded to one decimal.
    private static string Pct(double? rate) => rate is { } r ? Inv($"{r:0.#}%") : "-";

    private static string Inv(FormattableString value) => FormattableString.Invariant(value);
}
