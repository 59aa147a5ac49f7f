using Mentoring.Server.Windows;
using Mentoring.Testing;

namespace Mentoring.Server.Tests.Windows;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SigningKeyFileTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_new_signing_key_file_is_readable_by_its_owner_only()
    {
        var key = SigningKeyFile.LoadOrCreate(folder.File("mentoring.db"));

        Assert.StartsWith("local1:", key, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.File("signing-key.txt")));
    }

    [Fact]
    public void An_existing_key_file_open_to_others_is_warned_about_and_still_used()
    {
        var first = SigningKeyFile.LoadOrCreate(folder.File("mentoring.db"));
        File.SetUnixFileMode(folder.File("signing-key.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var warnings = new List<string>();

        var again = SigningKeyFile.LoadOrCreate(folder.File("mentoring.db"), warnings.Add);

        Assert.Equal(first, again);
        var warning = Assert.Single(warnings);
        Assert.Contains("chmod 600", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_owner_only_key_file_gives_no_warning()
    {
        SigningKeyFile.LoadOrCreate(folder.File("mentoring.db"));
        var warnings = new List<string>();

        SigningKeyFile.LoadOrCreate(folder.File("mentoring.db"), warnings.Add);

        Assert.Empty(warnings);
    }
}
