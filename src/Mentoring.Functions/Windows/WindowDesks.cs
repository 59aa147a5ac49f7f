using Mentoring.Api.Dashboard;
using Mentoring.Core.Decisions;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Windows;

/// <summary>The window and decision use cases over the Durable client an HTTP trigger was given.</summary>
public sealed class WindowDesks(ProgramCatalog programs, DecisionTokens tokens, IDocumentStore store, TimeProvider clock, DashboardServices dashboard,
    Mentoring.Core.Choosing.ChoosingLinks choosingLinks)
{
    public DashboardDesk Dashboard(DurableTaskClient durable) => new(dashboard, new DurableWindowHost(durable));

    public WindowDesk Windows(DurableTaskClient durable) => new(programs, new DurableWindowHost(durable), store, clock);

    public DecisionDesk Decisions(DurableTaskClient durable) => new(tokens, programs, new DurableWindowHost(durable), store, clock);

    public Mentoring.Core.Choosing.ChoosingDesk Choosing(DurableTaskClient durable) => new(choosingLinks, new DurableWindowHost(durable), store, clock);
}
