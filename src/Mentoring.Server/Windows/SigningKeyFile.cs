using System.Security.Cryptography;

namespace Mentoring.Server.Windows;

/// <summary>
/// The embedded host signs decision links with <c>Mentoring:SigningKeys</c> when set; otherwise with a key it creates
/// once next to the database, so links in mails already sent keep working across restarts.
/// </summary>
public static class SigningKeyFile
{
    /// <summary>Permissions that let someone other than the owner read the key (and so forge decision links).</summary>
    public const UnixFileMode OpenToOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <param name="warn">Told when an existing key file is readable by others than its owner.</param>
    public static string LoadOrCreate(string databasePath, Action<string>? warn = null)
    {
        var path = Path.Combine(Path.GetDirectoryName(databasePath)!, "signing-key.txt");
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OpenToOthers) != 0)
            {
                warn?.Invoke($"{path} is readable by other users (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); anyone who reads it can forge decision links. Run: chmod 600 {path}");
            }

            return File.ReadAllText(path).Trim();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = "local1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        try
        {
            // Owner-only from the first byte (0600): the key signs every decision link.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(path, options);
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
