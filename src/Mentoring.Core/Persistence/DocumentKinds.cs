namespace Mentoring.Core.Persistence;

/// <summary>The kinds of document the core stores, one place so adapters and queries agree.</summary>
public static class DocumentKinds
{
    public const string Program = "program";
    public const string Participant = "participant";
    /// <summary>Receipt of one forms-provider submission: makes webhook redeliveries idempotent.</summary>
    public const string Submission = "submission";
    /// <summary>A program's entry in the catalog partition (see ProgramCatalog.ListIdsAsync).</summary>
    public const string ProgramRef = "programRef";
}
