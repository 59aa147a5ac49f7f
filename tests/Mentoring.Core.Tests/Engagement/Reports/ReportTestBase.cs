using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Programs;
using Mentoring.Sqlite;
using Mentoring.Testing;

namespace Mentoring.Core.Tests.Engagement.Reports;

/// <summary><see cref="ReportFixture"/>'s program on a real SQLite file, and its report 60 days after the intro (or at any instant).</summary>
public abstract class ReportTestBase : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();

    protected ReportTestBase() => Store = new SqliteDocumentStore(new SqliteStoreOptions(folder.File("report.db")));

    protected SqliteDocumentStore Store { get; }

    protected ManualClock Clock { get; } = new(ReportFixture.Intro.AddDays(60));

    /// <summary>The report at <see cref="Clock"/>'s instant, built once the program is written.</summary>
    protected ProgramReportData Report { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ReportFixture.WriteAsync(Store, writeProgram: true);
        Report = await ReportAtAsync(Clock.GetUtcNow());
    }

    protected Task<ProgramReportData> ReportAtAsync(DateTimeOffset now)
    {
        var clock = new ManualClock(now);
        return new ProgramReport(new ProgramCatalog(Store, clock), Store, clock).BuildAsync(ReportFixture.ProgramId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Store.Dispose();
        folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
