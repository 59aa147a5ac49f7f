using Mentoring.Api.Endpoints;
using Mentoring.Api.Http;
using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mentoring.Api;

/// <summary>The /api routes, mapped once here so every host serves the same surface.</summary>
public static class MentoringApi
{
    public static IEndpointRouteBuilder MapMentoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<DomainExceptionFilter>();
        var admin = api.MapGroup("").AddEndpointFilter<AdminKeyFilter>().WithTags("Admin");
        var open = api.MapGroup("").WithTags("Public");

        admin.MapPost("/programs", ProgramEndpoints.Create).WithName("CreateProgram")
            .Accepts<ProgramDefinition>("application/json").Produces<MentoringProgram>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(401).ProducesProblem(409);
        admin.MapGet("/programs/{programId}", ProgramEndpoints.Get).WithName("GetProgram")
            .Produces<MentoringProgram>().ProducesProblem(401).ProducesProblem(404);
        admin.MapPut("/programs/{programId}", ProgramEndpoints.Replace).WithName("ReplaceProgram")
            .Accepts<ProgramDefinition>("application/json").Produces<MentoringProgram>().ProducesProblem(400).ProducesProblem(412).ProducesProblem(428);

        open.MapPost("/programs/{programId}/registrations", RegistrationEndpoints.Register).WithName("Register")
            .Accepts<RegistrationEndpoints.RegistrationBody>("application/json")
            .Produces<Participant>(StatusCodes.Status201Created).Produces<Participant>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);

        open.MapPost("/programs/{programId}/webhooks/{provider}", WebhookEndpoints.Receive).WithName("ReceiveWebhook")
            .WithDescription("Signups from typeform, tally, jotform, google-forms or generic. See docs/webhooks.md for each provider's format and authentication.")
            .Produces<Participant>(StatusCodes.Status201Created).Produces<Participant>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);

        admin.MapGet("/programs/{programId}/participants", ParticipantEndpoints.List).WithName("ListParticipants")
            .Produces<ParticipantEndpoints.ParticipantPage>().ProducesProblem(400).ProducesProblem(404);
        admin.MapGet("/programs/{programId}/participants/{participantId}", ParticipantEndpoints.Get).WithName("GetParticipant")
            .Produces<Participant>().ProducesProblem(404);
        admin.MapDelete("/programs/{programId}/participants/{participantId}", ParticipantEndpoints.Withdraw).WithName("WithdrawParticipant")
            .Produces<Participant>().ProducesProblem(404);

        admin.MapPost("/programs/{programId}/match-preview", MatchPreviewEndpoints.Preview).WithName("PreviewMatch")
            .WithDescription("Dry run: the pair (or group) draft for the current registrations, with scores, reasons, waitlist and the optimality certificate. Saves nothing.")
            .Produces<PairDraft>().ProducesProblem(400).ProducesProblem(404);
        return app;
    }
}
