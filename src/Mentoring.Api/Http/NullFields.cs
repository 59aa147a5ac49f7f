using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mentoring.Core.Common;

namespace Mentoring.Api.Http;

/// <summary>
/// Finds nulls that a parsed request body carries where its type says none can be: a non-nullable property left null
/// (sent as null or not sent), or a null inside a list or map (<c>{"pinnedPairs":[null]}</c>). System.Text.Json lets
/// both through, and code further in trusts the annotations; refused here, each is a 400 naming the field.
/// </summary>
internal static class NullFields
{
    private const int MaxDepth = 64;

    public static IReadOnlyList<FieldError> Find(object body)
    {
        var errors = new List<FieldError>();
        Walk(body, "", new NullabilityInfoContext(), errors, 0);
        return errors;
    }

    private static void Walk(object value, string path, NullabilityInfoContext nullability, List<FieldError> errors, int depth)
    {
        if (depth > MaxDepth || errors.Count >= 20 || !IsOurs(value.GetType()))
        {
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(JsonIgnoreAttribute)))
            {
                continue;
            }

            var info = nullability.Create(property);
            var name = Join(path, property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            var child = property.GetValue(value);
            if (child is null)
            {
                if (info.WriteState == NullabilityState.NotNull && !property.PropertyType.IsValueType)
                {
                    errors.Add(new FieldError(name, Rules.Required, $"'{name}' is required and cannot be null."));
                }

                continue;
            }

            WalkValue(child, info, name, nullability, errors, depth + 1);
        }
    }

    private static void WalkValue(object value, NullabilityInfo info, string path, NullabilityInfoContext nullability, List<FieldError> errors, int depth)
    {
        switch (value)
        {
            case string or JsonElement:
                return;
            case IDictionary map:
                var valueInfo = info.GenericTypeArguments is [_, var v] ? v : null;
                foreach (DictionaryEntry entry in map)
                {
                    var entryPath = Join(path, Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    Element(entry.Value, valueInfo, entryPath, nullability, errors, depth);
                }

                return;
            case IEnumerable list:
                var elementInfo = info.ElementType ?? (info.GenericTypeArguments is [var e] ? e : null);
                var index = 0;
                foreach (var element in list)
                {
                    Element(element, elementInfo, $"{path}[{index++}]", nullability, errors, depth);
                }

                return;
            default:
                Walk(value, path, nullability, errors, depth);
                return;
        }
    }

    private static void Element(object? element, NullabilityInfo? info, string path, NullabilityInfoContext nullability, List<FieldError> errors, int depth)
    {
        if (element is null)
        {
            if (info is { ReadState: NullabilityState.NotNull } && !info.Type.IsValueType)
            {
                errors.Add(new FieldError(path, Rules.Required, $"'{path}' cannot be null."));
            }

            return;
        }

        if (info is not null)
        {
            WalkValue(element, info, path, nullability, errors, depth);
        }
    }

    private static bool IsOurs(Type type) => type.Namespace?.StartsWith("Mentoring", StringComparison.Ordinal) == true;

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
