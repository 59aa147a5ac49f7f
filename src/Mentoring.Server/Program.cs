using Mentoring.Server.Simulation;
using Mentoring.Api;
using Mentoring.Server;
using Mentoring.Server.Mail;

if (args is ["simulate", .. var options])
{
    return await ProgramSimulation.RunFromCommandLineAsync(options, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddEmbeddedHost();

var app = builder.Build();
app.UseEmbeddedHost();
app.MapMentoringApi();
app.MapOutbox();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
