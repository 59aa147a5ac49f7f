namespace Mentoring.Core.Persistence;

/// <summary>The kinds of document the core stores, one place so adapters and queries agree.</summary>
public static class DocumentKinds
{
    public const string Program = "program";
    public const string Participant = "participant";
    /// <summary>A program's entry in the catalog partition (see ProgramCatalog.ListIdsAsync).</summary>
    public const string ProgramRef = "programRef";
    /// <summary>One forms submission (program, provider, submission id) and the participant it maps to, for ever.</summary>
    public const string Submission = "submission";
}
