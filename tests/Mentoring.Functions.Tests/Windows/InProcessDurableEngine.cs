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
using P = Microsoft.DurableTask.Protobuf;

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

    /// <summary>Work items the sidecar tried to send while the worker was stopping, and so sent back to its queue.</summary>
    public int WorkItemsSentBack => _streams.SentBack;

    /// <summary>A window host as an HTTP call of the Functions app builds one: over the worker's client.</summary>
    public DurableWindowHost Windows() => new(Client, _options);

    /// <summary>The app's process goes away; the task hub keeps everything, and nothing runs until <see cref="StartWorkerAsync"/>.</summary>
    public async Task StopWorkerAsync()
    {
        if (_worker is { } worker)
        {
            _worker = null;
            await _streams.DrainAsync(); // a process that stops takes no new work and finishes what it holds
            await worker.StopAsync();
            worker.Dispose();
            // The sidecar learns of the cancelled stream a moment later; only then may the next worker connect.
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
/// Watches the worker's work-item streams (GetWorkItems) as the sidecar sees them, and lets the worker stop as a real
/// task hub's worker may: at any moment, without losing a work item.
/// </summary>
/// <remarks>
/// The in-process sidecar hands each work item to the connected stream with no lock timeout, so an item sent to a worker
/// that is stopping would wait for its answer for ever (a real task hub's lock expires and the item is delivered again).
/// <see cref="DrainAsync"/> closes the way in first: a work item the sidecar sends after that fails as a write to a
/// finished stream does, which the sidecar answers by abandoning the item back to its queue and waiting for the next
/// worker. Then it waits for the items the worker already holds to be answered (CompleteOrchestratorTask,
/// CompleteActivityTask). So a timer that comes due while the worker stops runs on the next worker.
/// </remarks>
internal sealed class WorkItemStreams : Interceptor
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly HashSet<string> _unanswered = [];
    private bool _closed;
    private int _open;
    private int _sentBack;

    public int SentBack => Volatile.Read(ref _sentBack);

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!context.Method.EndsWith("/GetWorkItems", StringComparison.Ordinal))
        {
            await continuation(request, responseStream, context);
            return;
        }
        lock (_gate)
        {
            _closed = false; // a new worker takes work
        }
        Interlocked.Increment(ref _open);
        try
        {
            await continuation(request, new Sending<TResponse>(this, responseStream), context);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var response = await continuation(request, context);
        var answered = request switch
        {
            P.OrchestratorResponse orchestrator => OrchestratorKey(orchestrator.InstanceId), // a window's answers are far below the chunking size
            P.ActivityResponse activity => ActivityKey(activity.InstanceId, activity.TaskId),
            _ => null,
        };
        if (answered is not null)
        {
            lock (_gate)
            {
                _unanswered.Remove(answered);
            }
        }
        return response;
    }

    /// <summary>Waits until exactly <paramref name="count"/> streams are open (polling: the handler has no event to await).</summary>
    public Task WaitForAsync(int count) =>
        UntilAsync(() => Volatile.Read(ref _open) == count, () => $"The sidecar still has {Volatile.Read(ref _open)} work-item streams open, not {count}.");

    /// <summary>Sends the worker nothing more and waits until it has answered every work item it holds.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            _closed = true;
        }
        return UntilAsync(() => { lock (_gate) { return _unanswered.Count == 0; } },
            () => $"The worker has not answered {string.Join(", ", _unanswered)}.");
    }

    private static async Task UntilAsync(Func<bool> holds, Func<string> failure)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!holds())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(failure());
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    private static string OrchestratorKey(string instanceId) => $"orchestrator {instanceId}";

    private static string ActivityKey(string instanceId, int taskId) => $"activity {instanceId}#{taskId}";

    /// <summary>Records each work item sent, or refuses it once the way in is closed.</summary>
    private sealed class Sending<T>(WorkItemStreams streams, IServerStreamWriter<T> inner) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            var key = message switch
            {
                P.WorkItem { OrchestratorRequest: { } orchestrator } => OrchestratorKey(orchestrator.InstanceId),
                P.WorkItem { ActivityRequest: { } activity } => ActivityKey(activity.OrchestrationInstance.InstanceId, activity.TaskId),
                _ => null,
            };
            lock (streams._gate)
            {
                if (streams._closed)
                {
                    Interlocked.Increment(ref streams._sentBack);
                    // The words the sidecar looks for when a worker's stream has ended under it: it abandons the item.
                    throw new InvalidOperationException("Can't write the message because the request is complete.");
                }
                if (key is not null)
                {
                    streams._unanswered.Add(key);
                }
            }
            return inner.WriteAsync(message);
        }
    }
}
