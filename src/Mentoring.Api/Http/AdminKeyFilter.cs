using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Mentoring.Api.Http;

/// <summary>Admin credentials for the embedded host. On Azure, Functions' own keys (AuthorizationLevel.Function) play this part.</summary>
public sealed class AdminKeyOptions
{
    public const string Section = "Mentoring";
    public const string HeaderName = "x-functions-key";

    /// <summary>Comma-separated keys; several allow rotation. Empty means every admin call is refused.</summary>
    public string AdminKeys { get; set; } = "";

    public IReadOnlyList<string> Keys =>
        AdminKeys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Admits a request only with a configured key in <c>x-functions-key</c>. With no key configured, nothing is admitted.</summary>
public sealed class AdminKeyFilter(IOptionsMonitor<AdminKeyOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var keys = options.CurrentValue.Keys;
        if (keys.Count == 0)
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, "admin-key-not-configured", "Unauthenticated",
                "No admin key is configured on this server (set Mentoring__AdminKeys), so admin calls are refused.", AdminKeyOptions.HeaderName);
        }
        var presented = context.HttpContext.Request.Headers[AdminKeyOptions.HeaderName].ToString();
        if (presented.Length == 0 || !keys.Any(k => FixedTimeEquals(k, presented)))
        {
            return Problems.Problem(StatusCodes.Status401Unauthorized, "admin-key-invalid", "Unauthenticated",
                $"Send a valid admin key in the {AdminKeyOptions.HeaderName} header.", AdminKeyOptions.HeaderName);
        }
        return await next(context);
    }

    private static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
