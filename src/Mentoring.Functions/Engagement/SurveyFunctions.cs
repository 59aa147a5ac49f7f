using Mentoring.Api.Endpoints;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Engagement;

/// <summary>Public, authorised by the signed token: the survey form (GET) and its answers (POST).</summary>
public sealed class SurveyFunctions(SurveyDesk desk)
{
    [Function("ViewSurvey")]
    public Task<IActionResult> ViewAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "surveys/{token}")] HttpRequest request, string token,
        FunctionContext context) =>
        ApiCall.RunAsync(() => SurveyEndpoints.View(token, request, desk, context.CancellationToken));

    [Function("SubmitSurvey")]
    public Task<IActionResult> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "surveys/{token}")] HttpRequest request, string token,
        FunctionContext context) =>
        ApiCall.RunAsync(() => SurveyEndpoints.Submit(token, request, desk, context.CancellationToken));
}
