using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Solver;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Tests.Matching;

public sealed class SolverGraphTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static MatchingRequest Request()
    {
        var program = new MentoringProgram
        {
            Id = "p",
            Name = "P",
            Kind = ProgramKind.Cohort,
            AdminEmails = ["hr@example.com"],
            Questionnaire = new Questionnaire
            {
                Questions = [new() { Key = "department", Type = QuestionType.SingleChoice, Options = ["A", "B", "C"], Role = MatchingRole.Different, Weight = 10 }],
            },
        };
        string[] departments = ["A", "A", "B", "B", "C", "C"];
        var people = departments.Select((d, i) => new Participant
        {
            Id = $"p{i}",
            ProgramId = "p",
            Email = $"p{i}@example.com",
            Name = $"P{i}",
            Source = new RegistrationSource("api"),
            Answers = new Dictionary<string, IReadOnlyList<string>>
            {
                ["department"] = [d],
                // p0 and p1 share a manager: they must not be paired, so the graph has no edge between them.
                ["managerEmail"] = [i < 2 ? "boss@example.com" : $"boss{i}@example.com"],
            },
        }).ToList();
        return new MatchingRequest { Program = program, Participants = people, At = At };
    }

    [Fact]
    public void The_exported_graph_leaves_out_forbidden_pairs()
    {
        var (graph, ids) = SolverGraph.For(Request());
        Assert.Equal(6, graph.NodeCount);
        Assert.Equal(14, graph.EdgeCount); // 15 pairs minus the same-manager pair
        var p0 = ids.ToList().IndexOf("p0");
        var p1 = ids.ToList().IndexOf("p1");
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            Assert.False((graph.EdgeU[e], graph.EdgeV[e]) == (p0, p1) || (graph.EdgeU[e], graph.EdgeV[e]) == (p1, p0));
        }
    }

    [Fact]
    public void Solving_the_exported_graph_reaches_the_same_optimum_as_the_engine()
    {
        var request = Request();
        var (graph, ids) = SolverGraph.For(request);
        var solved = MaximumWeightMatching.Solve(graph);

        var draft = MatchingEngine.Draft(request);
        var weight = new Dictionary<(int, int), long>();
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            weight[(Math.Min(graph.EdgeU[e], graph.EdgeV[e]), Math.Max(graph.EdgeU[e], graph.EdgeV[e]))] = graph.EdgeWeight[e];
        }
        var index = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var engineTotal = draft.Pairs.Sum(p =>
        {
            var (a, b) = (index[p.A.Id], index[p.B.Id]);
            return weight[(Math.Min(a, b), Math.Max(a, b))];
        });
        Assert.Equal(solved.TotalWeight, engineTotal);
        Assert.Equal(6, solved.MatchedNodes);
    }

    [Fact]
    public void The_edge_list_is_written_in_the_cli_format()
    {
        var graph = WeightedGraph.FromEdges(3, [(0, 1, 5L), (1, 2, 7L)]);
        using var text = new StringWriter();
        SolverGraph.WriteEdgeList(graph, text);
        Assert.Equal("3 2\n0 1 5\n1 2 7\n", text.ToString());
    }
}
