using Mentoring.Functions;
using Microsoft.Extensions.Hosting;

var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    .ConfigureServices((context, services) => services.AddFunctionsHost(context.Configuration))
    .Build();

await host.InitializeFunctionsHostAsync();
await host.RunAsync();
