using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;

namespace Mentoring.Testing;

/// <summary>What the SMTP server received in one transaction.</summary>
/// <param name="Data">The DATA bytes exactly as received (after dot-unstuffing, without the final ".").</param>
public sealed record ReceivedMail(string MailFrom, bool Smtputf8, IReadOnlyList<string> RcptTo, bool Secure, string? User, byte[] Data);

/// <summary>Settings of one <see cref="SmtpTestServer"/>.</summary>
public sealed record SmtpTestServerOptions
{
    /// <summary>Offer STARTTLS with a fresh self-signed certificate.</summary>
    public bool StartTls { get; init; }
    /// <summary>Require AUTH with this user (and <see cref="Password"/>); AUTH is only offered after STARTTLS.</summary>
    public string? User { get; init; }
    public string? Password { get; init; }
    public bool OfferSmtputf8 { get; init; } = true;
    /// <summary>Recipients the server refuses with 550 at RCPT TO.</summary>
    public IReadOnlyList<string> Reject { get; init; } = [];
}

/// <summary>
/// A real SMTP server for tests: nodemailer's <c>smtp-server</c> (tests/smtp-server, pinned by its package-lock.json,
/// installed with <c>npm ci</c> when missing) on 127.0.0.1 at a port the OS picks. It reports every message with its
/// envelope and raw bytes, so tests assert what actually went over the wire.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Install = new(1, 1);
    private readonly Process _process;
    private readonly Channel<ReceivedMail> _received = Channel.CreateUnbounded<ReceivedMail>();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TempFolder _folder;

    private SmtpTestServer(Process process, TempFolder folder, X509Certificate2? certificate, int port)
    {
        _process = process;
        _folder = folder;
        Certificate = certificate;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's self-signed certificate when it offers STARTTLS (trust exactly this one).</summary>
    public X509Certificate2? Certificate { get; }

    public string Log => string.Join(Environment.NewLine, _log);

    public static async Task<SmtpTestServer> StartAsync(SmtpTestServerOptions? options = null)
    {
        options ??= new SmtpTestServerOptions();
        var directory = ServerDirectory();
        await EnsureInstalledAsync(directory);
        var folder = new TempFolder();
        X509Certificate2? certificate = null;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("start.js");
        if (options.StartTls)
        {
            certificate = SelfSigned();
            await File.WriteAllTextAsync(folder.File("cert.pem"), certificate.ExportCertificatePem());
            using (var key = certificate.GetRSAPrivateKey()!)
            {
                await File.WriteAllTextAsync(folder.File("key.pem"), key.ExportPkcs8PrivateKeyPem());
            }

            start.ArgumentList.Add("--cert");
            start.ArgumentList.Add(folder.File("cert.pem"));
            start.ArgumentList.Add("--key");
            start.ArgumentList.Add(folder.File("key.pem"));
        }

        if (options.User is not null)
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(options.User);
            start.ArgumentList.Add("--pass");
            start.ArgumentList.Add(options.Password ?? "");
        }

        if (!options.OfferSmtputf8)
        {
            start.ArgumentList.Add("--no-smtputf8");
        }

        foreach (var address in options.Reject)
        {
            start.ArgumentList.Add("--reject");
            start.ArgumentList.Add(address);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        SmtpTestServer? server = null;
        var early = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }

            if (text.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                listening.TrySetResult(int.Parse(text.AsSpan("LISTENING ".Length), CultureInfo.InvariantCulture));
            }
            else if (text.StartsWith("MESSAGE ", StringComparison.Ordinal))
            {
                server!.OnMessage(text["MESSAGE ".Length..]);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                early.Enqueue(text);
                server?._log.Enqueue(text);
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The SMTP test server exited: " + string.Join('\n', early)));
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start node (is Node.js installed?).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        server = new SmtpTestServer(process, folder, certificate, port);
        return server;
    }

    /// <summary>The next message received, in order; fails after <paramref name="timeout"/> (default 10 s).</summary>
    public async Task<ReceivedMail> NextAsync(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _received.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No message reached the SMTP test server. Its log: " + Log);
        }
    }

    /// <summary>Messages received and not yet read with <see cref="NextAsync"/>.</summary>
    public int Pending => _received.Reader.Count;

    /// <summary>A certificate check that accepts exactly this server's certificate.</summary>
    public bool IsThisServer(X509Certificate? presented) =>
        Certificate is not null && presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(Certificate.RawData);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Certificate?.Dispose();
            _folder.Dispose();
        }
    }

    private void OnMessage(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        _received.Writer.TryWrite(new ReceivedMail(
            root.GetProperty("mailFrom").GetString()!,
            root.GetProperty("mailFromArgs").TryGetProperty("SMTPUTF8", out var utf8) && utf8.ValueKind == JsonValueKind.True,
            [.. root.GetProperty("rcptTo").EnumerateArray().Select(r => r.GetString()!)],
            root.GetProperty("secure").GetBoolean(),
            root.GetProperty("user").GetString(),
            Convert.FromBase64String(root.GetProperty("data").GetString()!)));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }

    private static string ServerDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "smtp-server");
            if (File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/smtp-server/package-lock.json not found above " + AppContext.BaseDirectory);
    }

    private static async Task EnsureInstalledAsync(string directory)
    {
        await Install.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(directory, "node_modules", "smtp-server", "package.json")))
            {
                return;
            }

            var start = new ProcessStartInfo("npm") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
            {
                start.ArgumentList.Add(argument);
            }

            using var npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
            var errors = npm.StandardError.ReadToEndAsync();
            _ = npm.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(timeout.Token);
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {directory} failed: {await errors}");
            }
        }
        finally
        {
            Install.Release();
        }
    }
}
