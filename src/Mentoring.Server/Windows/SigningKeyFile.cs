using System.Security.Cryptography;

namespace Mentoring.Server.Windows;

/// <summary>
/// The embedded host signs decision links with <c>Mentoring:SigningKeys</c> when set; otherwise with a key it creates
/// once next to the database, so links in mails already sent keep working across restarts.
/// </summary>
public static class SigningKeyFile
{
    public static string LoadOrCreate(string databasePath)
    {
        var path = Path.Combine(Path.GetDirectoryName(databasePath)!, "signing-key.txt");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = "local1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(file);
            writer.Write(key);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim(); // another process created it first
        }
    }
}
