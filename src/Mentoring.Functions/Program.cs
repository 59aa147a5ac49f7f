using Mentoring.Functions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    // Request lines carry full URLs, and Jotform's carries its webhook secret (?token=); the intake logs deliveries redacted.
    .ConfigureLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning))
    .ConfigureServices((context, services) => services.AddFunctionsHost(context.Configuration))
    .Build();

await host.InitializeFunctionsHostAsync();
await host.RunAsync();
