using Mentoring.Api;
using Mentoring.Server;
using Mentoring.Server.Mail;

var builder = WebApplication.CreateBuilder(args);
builder.AddEmbeddedHost();

var app = builder.Build();
app.UseEmbeddedHost();
app.MapMentoringApi();
app.MapOutbox();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
