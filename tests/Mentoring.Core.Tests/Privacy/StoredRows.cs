using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Mentoring.Core.Tests.Privacy;

/// <summary>Everything a SQLite file holds, as text: what an erasure test searches for a name or an address.</summary>
public static class StoredRows
{
    /// <summary>Every value of every row of every table (documents, outbox, the window runner's, the work queue's), one per line.</summary>
    public static string Everything(string databasePath)
    {
        var tables = Tables(databasePath);
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var all = new StringBuilder();
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    all.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }
        return all.ToString();
    }

    /// <summary>The names of the file's tables.</summary>
    public static IReadOnlyList<string> Tables(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var list = connection.CreateCommand();
        list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var names = list.ExecuteReader();
        var tables = new List<string>();
        while (names.Read())
        {
            tables.Add(names.GetString(0));
        }
        return tables;
    }
}
