using System.Text.Json;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>A JSON element with its path, so every parse error names the exact field ("form_response.answers[2].field.ref").</summary>
internal readonly record struct JsonField(JsonElement Element, string Path)
{
    public const string Root = "$";

    /// <summary>Parses a whole body (or an embedded JSON string); syntax errors become invalid-json on <paramref name="path"/>.</summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> utf8, string path)
    {
        var span = utf8.Span;
        var bom = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (span.Length - bom == 0)
        {
            throw new ValidationFailedException(path, Rules.Required, "The body is empty; a JSON document was expected.");
        }
        try
        {
            return JsonDocument.Parse(utf8[bom..], new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException(path, Rules.InvalidJson, $"Not valid JSON: {e.Message}");
        }
    }

    public JsonValueKind Kind => Element.ValueKind;

    public string Child(string name) => Path == Root ? name : $"{Path}.{name}";

    public JsonField ExpectObject() =>
        Kind == JsonValueKind.Object ? this : throw WrongType("an object");

    public JsonField ExpectArray() =>
        Kind == JsonValueKind.Array ? this : throw WrongType("an array");

    /// <summary>The property, or null when it is absent or JSON null. The node must be an object.</summary>
    public JsonField? Optional(string name) =>
        Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new JsonField(value, Child(name))
            : null;

    public JsonField Required(string name) =>
        Optional(name) ?? throw new ValidationFailedException(Child(name), Rules.Required, $"'{Child(name)}' is required.");

    public string String() =>
        Kind == JsonValueKind.String ? Element.GetString()! : throw WrongType("a string");

    /// <summary>A required, non-blank string property (ids).</summary>
    public string RequiredId(string name)
    {
        var value = Required(name).String();
        return string.IsNullOrWhiteSpace(value)
            ? throw new ValidationFailedException(Child(name), Rules.Required, $"'{Child(name)}' must not be empty.")
            : value;
    }

    public DateTimeOffset Timestamp()
    {
        String();
        return Element.TryGetDateTimeOffset(out var value)
            ? value
            : throw new ValidationFailedException(Path, Rules.Format, $"'{Path}' is not an ISO 8601 timestamp.");
    }

    public IEnumerable<JsonField> Items()
    {
        var path = ExpectArray().Path;
        var i = 0;
        foreach (var item in Element.EnumerateArray())
        {
            yield return new JsonField(item, $"{path}[{i++}]");
        }
    }

    public IEnumerable<(string Name, JsonField Value)> Properties()
    {
        var self = ExpectObject();
        foreach (var property in Element.EnumerateObject())
        {
            yield return (property.Name, new JsonField(property.Value, self.Child(property.Name)));
        }
    }

    public bool IsScalar => Kind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    /// <summary>A string, number (its JSON text, culture-free) or boolean ("true"/"false") as a string.</summary>
    public string Scalar() => Kind switch
    {
        JsonValueKind.String => Element.GetString()!,
        JsonValueKind.Number => Element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw WrongType("a string, number or boolean"),
    };

    public ValidationFailedException WrongType(string expected) =>
        new(Path, Rules.WrongType, $"'{Path}' must be {expected}, not {Describe(Kind)}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}

/// <summary>Collects provider field id -> values, in order, dropping empty answers.</summary>
internal sealed class FieldsBuilder
{
    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public void Add(string fieldId, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            Add(fieldId, value);
        }
    }

    public void Add(string fieldId, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (!_fields.TryGetValue(fieldId, out var list))
        {
            _fields[fieldId] = list = [];
            _order.Add(fieldId);
        }
        list.Add(value);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Build()
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var id in _order)
        {
            result[id] = _fields[id].ToArray();
        }
        return result;
    }
}
