// Reference timing for solve-bipartite: OR-Tools' SimpleMinCostFlow on the same network as lemon_bmatch.cpp
// (s -> left, left -> right at cost -w, right -> t, bypass s -> t). Prints total_weight, matched_edges, seconds, cpu_seconds.
using System.Diagnostics;
using Google.OrTools.Graph;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: ortools_bmatch FILE");
    return 2;
}

var tokens = File.ReadAllText(args[0]).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
int at = 0;
long Next() => long.Parse(tokens[at++], System.Globalization.CultureInfo.InvariantCulture);
int l = (int)Next(), r = (int)Next();
long m = Next();
var flow = new MinCostFlow();
int s = 0, t = 1;
long supply = 0;
for (int i = 0; i < l; i++)
{
    long b = Next();
    flow.AddArcWithCapacityAndUnitCost(s, 2 + i, b, 0);
    supply += b;
}

for (int j = 0; j < r; j++)
{
    flow.AddArcWithCapacityAndUnitCost(2 + l + j, t, Next(), 0);
}

var arcs = new int[m];
var weight = new long[m];
for (long e = 0; e < m; e++)
{
    int i = (int)Next(), j = (int)Next();
    weight[e] = Next();
    arcs[e] = flow.AddArcWithCapacityAndUnitCost(2 + i, 2 + l + j, 1, -weight[e]);
}

flow.AddArcWithCapacityAndUnitCost(s, t, supply, 0);
flow.SetNodeSupply(s, supply);
flow.SetNodeSupply(t, -supply);
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var sw = Stopwatch.StartNew();
var status = flow.Solve();
sw.Stop();
cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
if (status != MinCostFlowBase.Status.OPTIMAL)
{
    Console.Error.WriteLine($"status {status}");
    return 1;
}

long total = 0, matched = 0;
for (long e = 0; e < m; e++)
{
    if (flow.Flow(arcs[e]) > 0)
    {
        total += weight[e];
        matched++;
    }
}

Console.WriteLine($"total_weight {total}");
Console.WriteLine($"matched_edges {matched}");
Console.WriteLine(FormattableString.Invariant($"seconds {sw.Elapsed.TotalSeconds:F3}"));
Console.WriteLine(FormattableString.Invariant($"cpu_seconds {cpu.TotalSeconds:F3}"));
return 0;
