using Mentoring.Core.Engagement.Agendas;
using Mentoring.Core.Programs;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Admin: the agenda pairs of a program receive, session by session, as the intro and the nudges will carry it.</summary>
public static class AgendaEndpoints
{
    /// <summary>The sessions in order; <c>builtIn</c> is true when the program uses the default agenda of its kind.</summary>
    public sealed record ProgramAgenda(string ProgramId, bool BuiltIn, IReadOnlyList<AgendaSession> Sessions);

    public static async Task<IResult> Get(string programId, ProgramCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var program = (await catalog.GetAsync(programId, cancellationToken)).Value;
        return Results.Ok(new ProgramAgenda(program.Id, SessionAgendas.IsBuiltIn(program), SessionAgendas.For(program)));
    }
}
