using Mentoring.Functions;
using Mentoring.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var host = new HostBuilder()
    .ConfigureFunctionsWebApplication(worker => worker.UseMiddleware<ProblemMiddleware>())
    // Request lines carry full URLs, and Jotform's carries its webhook secret (?token=); the intake logs deliveries redacted.
    .ConfigureLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning))
    .ConfigureServices((context, services) => services.AddFunctionsHost(context.Configuration))
    .Build();

await host.InitializeFunctionsHostAsync();
await host.RunAsync();
