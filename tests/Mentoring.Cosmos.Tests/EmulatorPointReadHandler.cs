using Microsoft.Azure.Cosmos;

namespace Mentoring.Cosmos.Tests;

/// <summary>
/// Works around a bug of <c>@vercel/cosmosdb-server</c> 1.0.1 in the test client only: its point-read route checks the
/// partition key against the stored item before checking that the item exists, so reading a missing item answers 500
/// ("Cannot read properties of undefined") instead of 404. The route skips that check when the request says
/// <c>x-ms-documentdb-query-enablecrosspartition: true</c> and then answers 404 as Cosmos DB does; the item is still
/// looked up by id within the request's partition key, so nothing else changes. The adapter sends no such header, and
/// the real service ignores it on point reads.
/// </summary>
internal sealed class EmulatorPointReadHandler : RequestHandler
{
    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == HttpMethod.Get && request.RequestUri?.OriginalString.Contains("/docs/", StringComparison.Ordinal) == true)
        {
            request.Headers.Set("x-ms-documentdb-query-enablecrosspartition", "true");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
