using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;

namespace Mentoring.Cli.Commands;

/// <summary>
/// `export --program FILE --participants FILE --out FILE [--ids FILE]`: the weighted graph the engine would solve for
/// these participants, as an edge list, so other solvers (LEMON, networkx) can be run on exactly the same input.
/// </summary>
internal sealed class ExportCommand : ICliCommand
{
    public string Name => "export";

    public string Usage => "export --program FILE --participants FILE --out FILE [--ids FILE]   the engine's graph for a participants file";

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var a = new ArgReader(args, new HashSet<string>(), new HashSet<string> { "--program", "--participants", "--out", "--ids" });
        var programPath = a.String("--program") ?? throw new CliUsageException("export needs --program FILE (the JSON you POST to /api/programs)");
        var participantsPath = a.String("--participants") ?? throw new CliUsageException("export needs --participants FILE (a JSON array, or a page from GET /participants)");
        var outPath = a.String("--out") ?? throw new CliUsageException("export needs --out FILE");

        var program = ReadProgram(programPath);
        var participants = ReadParticipants(participantsPath);
        var (graph, ids) = SolverGraph.For(new MatchingRequest { Program = program, Participants = participants, At = DateTimeOffset.UtcNow });
        using (var writer = new StreamWriter(outPath))
        {
            SolverGraph.WriteEdgeList(graph, writer);
        }
        if (a.String("--ids") is { } idsPath)
        {
            File.WriteAllLines(idsPath, ids);
        }
        output.WriteLine($"nodes {graph.NodeCount}");
        output.WriteLine($"edges {graph.EdgeCount}");
        return 0;
    }

    private static MentoringProgram ReadProgram(string path)
    {
        try
        {
            var definition = JsonSerializer.Deserialize<ProgramDefinition>(File.ReadAllText(path), MentoringJson.Options)
                ?? throw new CliUsageException($"{path}: empty program");
            var now = DateTimeOffset.UtcNow;
            return ProgramValidator.Validate(definition, definition.Id ?? "exported", definition.WebhookSecrets ?? [], now, now);
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: {e.Message}");
        }
        catch (ValidationFailedException e)
        {
            throw new CliUsageException($"{path}: " + string.Join("; ", e.Errors.Select(x => $"{x.Field}: {x.Detail}")));
        }
    }

    private static List<Participant> ReadParticipants(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var items = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("items", out var page)
                ? page
                : document.RootElement;
            return items.Deserialize<List<Participant>>(MentoringJson.Options) ?? [];
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: {e.Message}");
        }
    }
}
