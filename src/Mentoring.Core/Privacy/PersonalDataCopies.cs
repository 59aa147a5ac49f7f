namespace Mentoring.Core.Privacy;

/// <summary>
/// A person being erased: who they were (to find them) and what stands in their place afterwards. The name is the one
/// registered when the erasure ran; mail sent under an earlier spelling of it keeps that spelling.
/// </summary>
public sealed record ErasedPerson(string ProgramId, string ParticipantId, string Name, string Email, string ErasedName, string ErasedEmail);

/// <summary>
/// Copies of personal data a host keeps outside the program's documents, erased with the person: the embedded server's
/// mail outbox keeps every mail it sent. (The Azure app keeps none: SendGrid holds its own activity log, under its own
/// retention.) Erasing the same person twice is harmless.
/// </summary>
public interface IPersonalDataCopies
{
    Task EraseAsync(ErasedPerson person, CancellationToken cancellationToken = default);
}
