using System.Net;
using DurableTask.Core;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Mentoring.Core.Windows;
using Mentoring.Functions.Windows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mentoring.Functions.Tests.Windows;

/// <summary>
/// The real Durable Task engine in this process (Microsoft.DurableTask.InProcessTestHost): the in-memory orchestration
/// service behind the gRPC sidecar the Functions host also runs, and a worker plus client talking to it over gRPC, with
/// the project's own orchestrator and activities registered. The sidecar (the task hub's storage) and the worker (the
/// app's process) are separate hosts, so the worker can be stopped and started again while the task hub keeps its state.
/// </summary>
/// <remarks>
/// Put together here rather than with <c>DurableTaskTestHost.StartAsync</c> so that the sidecar listens on a port the OS
/// picks on 127.0.0.1 (the package picks a random port in 30000-40000 on localhost) and so that the worker can restart.
/// </remarks>
internal sealed class InProcessDurableEngine : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly GrpcChannel _channel;
    private readonly IWindowActivities _activities;
    private readonly DurableWindowOptions _options;
    private readonly WorkItemStreams _streams;
    private IHost? _worker;

    private InProcessDurableEngine(WebApplication sidecar, GrpcChannel channel, IWindowActivities activities, DurableWindowOptions options)
    {
        _sidecar = sidecar;
        _streams = sidecar.Services.GetRequiredService<WorkItemStreams>();
        _channel = channel;
        _activities = activities;
        _options = options;
    }

    /// <summary>The client of the running worker (a new one after each restart).</summary>
    public DurableTaskClient Client { get; private set; } = null!;

    public static async Task<InProcessDurableEngine> StartAsync(IWindowActivities activities, DurableWindowOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<WorkItemStreams>();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<WorkItemStreams>());
        var orchestrations = new InMemoryOrchestrationService();
        builder.Services.AddSingleton<IOrchestrationService>(orchestrations);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(orchestrations);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync();
        var address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var engine = new InProcessDurableEngine(sidecar, GrpcChannel.ForAddress(address), activities, options);
        await engine.StartWorkerAsync();
        return engine;
    }

    /// <summary>A window host as an HTTP call of the Functions app builds one: over the worker's client.</summary>
    public DurableWindowHost Windows() => new(Client, _options);

    /// <summary>The app's process goes away; the task hub keeps everything, and nothing runs until <see cref="StartWorkerAsync"/>.</summary>
    public async Task StopWorkerAsync()
    {
        if (_worker is { } worker)
        {
            _worker = null;
            await worker.StopAsync();
            worker.Dispose();
            // The sidecar learns of the cancelled stream a moment later. Until it has, it still counts the worker as
            // connected and would hand the next work item to the dead stream, where it is lost (no lock timeout here).
            await _streams.WaitForAsync(0);
        }
    }

    public async Task StartWorkerAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(_channel);
            worker.AddTasks(tasks =>
            {
                // The Functions app's own orchestrator and activity bodies; only the trigger bindings differ.
                tasks.AddOrchestratorFunc<string?, string?>(MatchingWindowOrchestration.Orchestrator,
                    (context, _) => MatchingWindowOrchestration.RunAsync(context));
                tasks.AddActivityFunc<string, string?>(MatchingWindowOrchestration.RunCommandActivity,
                    (context, step) => MatchingWindowOrchestration.RunCommandAsync(_activities, step, CancellationToken.None));
                tasks.AddActivityFunc<string, bool>(MatchingWindowOrchestration.StartWindowActivity,
                    (context, opened) => MatchingWindowOrchestration.StartWindowAsync(Windows(), opened, CancellationToken.None));
            });
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(_channel);
            client.RegisterDirectly();
        });
        var host = builder.Build();
        await host.StartAsync();
        Client = host.Services.GetRequiredService<DurableTaskClient>();
        _worker = host;
        await _streams.WaitForAsync(1); // the process is up when it takes work, as a Functions host is
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();
        await _channel.ShutdownAsync();
        _channel.Dispose();
        await _sidecar.StopAsync();
        await _sidecar.DisposeAsync();
    }
}

/// <summary>
/// Counts the worker's open work-item streams (GetWorkItems) as the sidecar sees them: a call is counted from when it
/// reaches the sidecar until the sidecar's handler has ended, which is when the sidecar stops dispatching to it.
/// </summary>
internal sealed class WorkItemStreams : Interceptor
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private int _open;

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var counted = context.Method.EndsWith("/GetWorkItems", StringComparison.Ordinal);
        if (counted)
        {
            Interlocked.Increment(ref _open);
        }
        try
        {
            await continuation(request, responseStream, context);
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _open);
            }
        }
    }

    /// <summary>Waits until exactly <paramref name="count"/> streams are open (polling: the handler has no event to await).</summary>
    public async Task WaitForAsync(int count)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (Volatile.Read(ref _open) != count)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The sidecar still has {Volatile.Read(ref _open)} work-item streams open, not {count}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }
}
