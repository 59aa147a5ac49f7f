using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mentoring.Core.Common;

/// <summary>The one JSON convention for documents and the HTTP API: camelCase names and enum values.</summary>
public static class MentoringJson
{
    public static JsonSerializerOptions Options { get; } = Frozen(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The same convention, refusing properties the target type does not declare (request bodies).</summary>
    public static JsonSerializerOptions Strict { get; } = Frozen(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    });

    /// <summary>Applies the convention to options owned by someone else (a host's HTTP JSON options).</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    private static JsonSerializerOptions Frozen(JsonSerializerOptions options)
    {
        Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
