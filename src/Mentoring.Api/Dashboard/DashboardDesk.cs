using Mentoring.Api.Http;
using Mentoring.Core.Dashboard;
using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Work;
using Mentoring.Core.Persistence;
using Mentoring.Core.Privacy;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Microsoft.Extensions.Options;

namespace Mentoring.Api.Dashboard;

/// <summary>The dashboard's host-independent parts, one instance per host.</summary>
public sealed class DashboardServices(
    AdminSessions sessions, IOptionsMonitor<AdminKeyOptions> adminKeys, ProgramCatalog programs, ParticipantRegistry registry,
    ParticipantPrivacy privacy, ProgramReport reports, DecisionTokens decisionTokens, IDocumentStore store, TimeProvider clock,
    MatchDesk matches, IWorkQueue work, Mentoring.Core.Engagement.CheckIns.CheckInJob checkIns)
{
    public Mentoring.Core.Engagement.CheckIns.CheckInJob CheckIns => checkIns;
    public MatchDesk Matches => matches;
    public IWorkQueue Work => work;
    public AdminSessions Sessions => sessions;
    public IOptionsMonitor<AdminKeyOptions> AdminKeys => adminKeys;
    public ProgramCatalog Programs => programs;
    public ParticipantRegistry Registry => registry;
    public ParticipantPrivacy Privacy => privacy;
    public ProgramReport Reports => reports;
    public DecisionTokens DecisionTokens => decisionTokens;
    public IDocumentStore Store => store;
    public TimeProvider Clock => clock;
}

/// <summary>
/// Everything a dashboard handler needs, over the workflow host of this request: the embedded server has one for the
/// process, the Functions app builds one per call from the trigger's Durable client.
/// </summary>
public sealed class DashboardDesk(DashboardServices services, IWindowHost host)
{
    public DashboardServices Services => services;
    public AdminSessions Sessions => services.Sessions;
    public WindowDesk Windows { get; } = new(services.Programs, host, services.Store, services.Clock);
    public DecisionDesk Decisions { get; } = new(services.DecisionTokens, services.Programs, host, services.Store, services.Clock);
}
