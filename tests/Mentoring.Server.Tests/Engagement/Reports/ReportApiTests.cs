using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mentoring.Core.Persistence;
using Mentoring.Core.Tests.Engagement.Reports;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Engagement.Reports;

/// <summary>GET /api/programs/{id}/report over HTTP: JSON, and CSV parsed back and compared with the JSON cell by cell.</summary>
public sealed class ReportApiTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 5, 1, 8, 30, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public ReportApiTests() => server = new MentoringServer(folder, clock);

    public async Task InitializeAsync()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        await ReportFixture.WriteAsync(server.Services.GetRequiredService<IDocumentStore>(), writeProgram: false);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task Json_report_has_totals_and_both_breakdowns()
    {
        var response = await server.Admin().GetAsync("/api/programs/spring/report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Body();
        Assert.Equal("spring", json["programId"]!.GetValue<string>());
        Assert.Equal(7, json["total"]!["enrolled"]!["total"]!.GetValue<int>());
        Assert.Equal(2.3, json["total"]!["mentoringHours"]!.GetValue<double>());
        Assert.Equal(70.0, json["total"]!["checkIns"]!["responseRate"]!.GetValue<double>());
        Assert.Equal(20, json["total"]!["surveys"]![0]!["nps"]!["score"]!.GetValue<int>());
        Assert.Null(json["total"]!["surveys"]![1]!["nps"]!["score"]); // no answers: null (omitted)
        Assert.Equal("Very positive", json["total"]!["surveys"]![0]!["satisfaction"]![0]!["option"]!.GetValue<string>());
        Assert.Equal(5, json["byDepartment"]!.AsArray().Count);
        Assert.Equal(5, json["byLevel"]!.AsArray().Count);
        Assert.Null(json["userLed"]); // an admin-led program has no user-led figures, not even zeros
        Assert.Equal(HttpStatusCode.OK, (await server.Admin().GetAsync("/api/programs/spring/report?format=json")).StatusCode);
    }

    [Fact]
    public async Task Csv_opens_cleanly_in_excel_and_says_what_the_json_says()
    {
        var json = await (await server.Admin().GetAsync("/api/programs/spring/report")).Body();
        var response = await server.Admin().GetAsync("/api/programs/spring/report?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("spring-report-20270501-0830.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal); // CRLF only

        var rows = ParseCsv(text);
        Assert.Equal(["breakdown", "segment", "metric", "value"], rows[0]);
        Assert.All(rows, r => Assert.Equal(4, r.Count));
        Assert.Contains(rows, r => r[0] == "department" && r[1] == "'=SUM(1,2)"); // formula guard, quoted because of the comma
        Assert.Contains("\"'=SUM(1,2)\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r[1].StartsWith('=') || r[1].StartsWith('+') || r[1].StartsWith('@'));

        var data = rows.Skip(1).ToList();
        var segments = 1 + json["byDepartment"]!.AsArray().Count + json["byLevel"]!.AsArray().Count;
        Assert.Equal(segments, data.Select(r => (r[0], r[1])).Distinct().Count());
        foreach (var row in data)
        {
            var figures = Figures(json, row[0], Unguard(row[1]));
            var expected = Lookup(figures, row[2]);
            if (expected is null)
            {
                Assert.True(row[3].Length == 0, $"{row[0]}/{row[1]}/{row[2]}: expected empty, got '{row[3]}'");
            }
            else
            {
                Assert.True(decimal.Parse(row[3], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                    == expected.GetValue<decimal>(), $"{row[0]}/{row[1]}/{row[2]}: CSV '{row[3]}', JSON {expected}");
            }
        }
        // Every figure of the JSON is in the CSV: each segment has as many rows as the total has.
        Assert.All(data.GroupBy(r => (r[0], r[1])), g => Assert.Equal(data.Count(r => r[0] == "all"), g.Count()));
        Assert.Contains(data, r => r[0] == "department" && r[1] == "Finance" && r[2] == "surveys.mid.nps.score" && r[3] == "-100");
        Assert.Contains(data, r => r[0] == "all" && r[2] == "surveys.mid.satisfaction.Very positive" && r[3] == "2");
    }

    [Fact]
    public async Task Unknown_format_is_a_problem_naming_format_and_admins_only()
    {
        var problem = await (await server.Admin().GetAsync("/api/programs/spring/report?format=pdf")).Problem(400);
        Assert.Equal([("format", "option-not-allowed")], problem.Errors());
        var breakdown = await (await server.Admin().GetAsync("/api/programs/spring/report?format=csv&breakdown=region")).Problem(400);
        Assert.Equal([("breakdown", "option-not-allowed")], breakdown.Errors());
        await (await server.Admin().GetAsync("/api/programs/autumn/report")).Problem(404);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Public().GetAsync("/api/programs/spring/report")).StatusCode);
    }

    [Fact]
    public async Task The_workbook_has_one_sheet_per_breakdown_with_rates_formatted_as_percentages()
    {
        var response = await server.Admin().GetAsync("/api/programs/spring/report?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("spring-report-20270501-0830.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        using var workbook = Workbook.Open(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(["Program", "By department", "By level"], workbook.SheetNames);
        var program = workbook.Sheet("Program");
        Assert.Equal("Check-in response rate", program[0][program[0].IndexOf("Check-in response rate")]);
        var rate = workbook.Cell("Program", 1, program[0].IndexOf("Check-in response rate"));
        Assert.Equal(("0.7", "0.0%"), rate);
        Assert.Equal(6, workbook.Sheet("By department").Count); // header and five departments
        // A workbook cell written as text is never evaluated: the department keeps its own name, no guard needed.
        Assert.Equal("=SUM(1,2)", workbook.Sheet("By department").Select(r => r[0]).Single(s => s.Contains("SUM", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_breakdown_downloads_as_one_wide_csv_with_percent_signs_and_a_european_variant()
    {
        var response = await server.Admin().GetAsync("/api/programs/spring/report?format=csv&breakdown=department");
        Assert.Equal("spring-report-20270501-0830-department.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = ParseCsv(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF'));
        Assert.Equal(6, rows.Count); // a header and one row per department: no pivoting
        Assert.Equal("Department", rows[0][0]);
        var rateColumn = rows[0].IndexOf("Check-in response rate");
        Assert.All(rows.Skip(1).Select(r => r[rateColumn]).Where(v => v.Length > 0), v => Assert.EndsWith("%", v, StringComparison.Ordinal));

        var european = Encoding.UTF8.GetString(await (await server.Admin().GetAsync("/api/programs/spring/report?format=csv&breakdown=all&decimal=comma")).Content.ReadAsByteArrayAsync());
        var lines = european.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(";70%;", lines[1], StringComparison.Ordinal);
        Assert.Contains(";2,3;", lines[1], StringComparison.Ordinal); // mentoring hours with a decimal comma
    }

    private static string Unguard(string cell) => cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' ? cell[1..] : cell;

    private static JsonNode Figures(JsonNode report, string breakdown, string segment) => breakdown switch
    {
        "all" => report["total"]!,
        "department" => report["byDepartment"]!.AsArray().Single(s => s!["segment"]!.GetValue<string>() == segment)!["figures"]!,
        "level" => report["byLevel"]!.AsArray().Single(s => s!["segment"]!.GetValue<string>() == segment)!["figures"]!,
        _ => throw new InvalidOperationException("unknown breakdown " + breakdown),
    };

    /// <summary>"checkIns.responseRate" -> figures.checkIns.responseRate; "surveys.mid.satisfaction.Very positive" -> the option's count.</summary>
    private static JsonNode? Lookup(JsonNode figures, string metric)
    {
        if (metric.StartsWith("surveys.", StringComparison.Ordinal))
        {
            var rest = metric["surveys.".Length..];
            var survey = figures["surveys"]!.AsArray().Single(s => rest.StartsWith(s!["key"]!.GetValue<string>() + ".", StringComparison.Ordinal))!;
            rest = rest[(survey["key"]!.GetValue<string>().Length + 1)..];
            if (rest.StartsWith("satisfaction.", StringComparison.Ordinal))
            {
                var option = rest["satisfaction.".Length..];
                return survey["satisfaction"]!.AsArray().Single(o => o!["option"]!.GetValue<string>() == option)!["count"];
            }
            return Path(survey, rest);
        }
        return Path(figures, metric);
    }

    private static JsonNode? Path(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            current = current?[part];
        }
        return current;
    }

    /// <summary>RFC 4180: fields separated by commas, records by CRLF; a quoted field may hold commas, CRLF and doubled quotes.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("unterminated quoted field");
                    }
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] != ',' && text[i] != '\r')
                {
                    throw new FormatException($"text after a closing quote at {i}");
                }
                continue;
            }
            if (text[i] == ',')
            {
                row.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i += 2;
            }
            else if (text[i] is '"' or '\r' or '\n')
            {
                throw new FormatException($"bare {(int)text[i]} in an unquoted field at {i}");
            }
            else
            {
                field.Append(text[i++]);
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
