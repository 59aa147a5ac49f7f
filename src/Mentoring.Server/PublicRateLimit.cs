using System.Globalization;
using System.Threading.RateLimiting;
using Mentoring.Api.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Mentoring.Server;

/// <summary>
/// <c>Mentoring:RateLimit</c>: how many requests one client address may send to the public routes (registrations, forms
/// webhooks, the SendGrid event webhook, decision, participant, survey and choosing links) per window. Off unless
/// <see cref="PermitsPerWindow"/> is set: a forms tool behind one address can send bursts, so choose the figure for yours.
/// </summary>
public sealed class PublicRateLimitOptions
{
    public const string Section = "Mentoring:RateLimit";

    /// <summary>Requests per client address per <see cref="Window"/>; 0 (the default) turns the limit off.</summary>
    public int PermitsPerWindow { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public static class PublicRateLimit
{
    /// <summary>ASP.NET Core's rate limiter, partitioned by client address, on the public routes only; 429 with Retry-After
    /// and a problem document when a client is over its limit. Admin routes and the dashboard are not limited here.</summary>
    public static IServiceCollection AddPublicRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(PublicRateLimitOptions.Section).Get<PublicRateLimitOptions>() ?? new PublicRateLimitOptions();
        if (options.PermitsPerWindow < 0 || options.Window <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{PublicRateLimitOptions.Section}: PermitsPerWindow must be 0 (off) or more and Window positive.");
        }
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                options.PermitsPerWindow == 0 || !IsPublic(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitsPerWindow,
                        Window = options.Window,
                        QueueLimit = 0,
                    }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
                    $"This address sent more than {options.PermitsPerWindow} requests to public routes in {options.Window.TotalSeconds:0} s; retry after {seconds} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The routes anyone can call without a key.</summary>
    public static bool IsPublic(PathString path)
    {
        var value = path.Value ?? "";
        if (value.StartsWith("/api/decisions/", StringComparison.OrdinalIgnoreCase) || value.StartsWith("/api/links/", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("/api/surveys/", StringComparison.OrdinalIgnoreCase) || value.StartsWith("/api/choose/", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("/api/pair-requests/", StringComparison.OrdinalIgnoreCase) || value.Equals("/api/mail/events", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var segments = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // /api/programs/{id}/registrations and /api/programs/{id}/webhooks/{provider}
        return segments.Length >= 4 && segments[0] == "api" && segments[1] == "programs"
            && (segments[3] == "registrations" || segments[3] == "webhooks");
    }
}
