using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Registration.Webhooks;
using Mentoring.Core.Tests.Registration.Webhooks;
using Mentoring.Core.Tests.Workflow;

namespace Mentoring.Core.Tests.Registration;

/// <summary>Forms-tool deliveries from the raw request to the stored participant, on the embedded SQLite store.</summary>
public sealed class WebhookIntakeTests : IAsyncLifetime, IDisposable
{
    private const string Forms = "forms";
    private const string Secret = "whsec-intake-0123456789";
    private const string Generic = WebhookFixtures.Generic;
    private readonly EmbeddedProgram program = new();
    private WebhookIntake intake = null!;

    public async Task InitializeAsync()
    {
        await program.Programs.CreateAsync(new ProgramDefinition
        {
            Id = Forms,
            Name = "Forms signups",
            Kind = ProgramKind.Cohort,
            AdminEmails = ["hr@example.com"],
            WebhookSecrets = [Secret],
            Registration = new RegistrationWindow { ClosesAt = EmbeddedProgram.T0.AddDays(1) },
            FieldMaps = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [Generic] = WebhookFixtures.FieldMap(Generic),
                [WebhookFixtures.Typeform] = WebhookFixtures.FieldMap(WebhookFixtures.Typeform),
            },
        });
        intake = new WebhookIntake(program.Store, program.Programs, program.Registry);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => program.Dispose();

    private static WebhookDelivery Delivery(string body, string? test = null)
    {
        var signed = WebhookFixtures.SignedWith(Generic, Secret, Encoding.UTF8.GetBytes(body));
        var query = new Dictionary<string, string>(signed.Query);
        if (test is not null)
        {
            query[WebhookIntake.TestParameter] = test;
        }
        return (signed with { Query = query }).ToDelivery();
    }

    private static WebhookDelivery Fixture(string? test = null, string submissionId = "sub-1") => Delivery(WebhookFixtures.Text(Generic, submissionId), test);

    private async Task<IReadOnlyList<Participant>> Registered() =>
        [.. (await program.Registry.ListAsync(Forms, null, 100, null)).Items.Select(i => i.Value)];

    [Fact]
    public async Task A_signed_delivery_registers_the_person_once_and_its_retry_is_acknowledged()
    {
        var first = Assert.IsType<WebhookStored>(await intake.ReceiveAsync(Forms, Generic, Fixture()));
        var retry = Assert.IsType<WebhookStored>(await intake.ReceiveAsync(Forms, "GENERIC", Fixture()));

        Assert.Equal((Generic, "sub-1", SubmissionEffect.Created), (first.Provider, first.SubmissionId, first.Outcome.Effect));
        Assert.Equal(SubmissionEffect.Unchanged, retry.Outcome.Effect);
        var ada = Assert.Single(await Registered());
        Assert.Equal((WebhookFixtures.DefaultEmail, WebhookFixtures.ExpectedName, new RegistrationSource(Generic, "sub-1")), (ada.Email, ada.Name, ada.Source));
    }

    [Fact]
    public async Task A_delivery_for_an_unknown_provider_names_the_supported_ones()
    {
        var unknown = await Assert.ThrowsAsync<NotFoundException>(() => intake.ReceiveAsync(Forms, "surveymonkey", Fixture()));

        Assert.Equal($"Forms provider 'surveymonkey' (supported: {string.Join(", ", FormsProviders.Names)}) was not found.", unknown.Message);
        Assert.Empty(await Registered());
    }

    [Fact]
    public async Task A_body_in_a_content_type_the_provider_never_posts_is_refused_before_anything_else()
    {
        var wrong = Fixture() with { ContentType = "text/plain" };
        var missing = Fixture() with { ContentType = null };

        var refused = await Assert.ThrowsAsync<UnsupportedContentTypeException>(() => intake.ReceiveAsync(Forms, Generic, wrong));
        var none = await Assert.ThrowsAsync<UnsupportedContentTypeException>(() => intake.ReceiveAsync(Forms, Generic, missing));

        Assert.Equal("Send the body as application/json; got 'text/plain'.", refused.Message);
        Assert.Equal("Send the body as application/json; got 'no Content-Type'.", none.Message);
        var jotform = WebhookFixtures.Signed(WebhookFixtures.Jotform, Secret, "sub-1").ToDelivery() with { ContentType = "application/json" };
        Assert.Equal("Send the body as multipart/form-data or application/x-www-form-urlencoded; got 'application/json'.",
            (await Assert.ThrowsAsync<UnsupportedContentTypeException>(() => intake.ReceiveAsync(Forms, WebhookFixtures.Jotform, jotform))).Message);
        Assert.Empty(await Registered());
    }

    [Fact]
    public async Task A_delivery_to_a_program_that_does_not_exist_is_refused_in_the_words_of_a_wrong_signature()
    {
        var forged = await Assert.ThrowsAnyAsync<DomainException>(() => intake.ReceiveAsync(Forms, Generic, WebhookFixtures.Signed(Generic, "another-secret", "sub-1").ToDelivery()));

        var nowhere = await Assert.ThrowsAnyAsync<DomainException>(() => intake.ReceiveAsync("autumn", Generic, Fixture()));

        Assert.Equal((forged.GetType(), forged.Message), (nowhere.GetType(), nowhere.Message));
    }

    [Fact]
    public async Task A_delivery_signed_with_another_secret_registers_nobody()
    {
        var forged = WebhookFixtures.Signed(Generic, "another-secret", "sub-1").ToDelivery();

        await Assert.ThrowsAnyAsync<DomainException>(() => intake.ReceiveAsync(Forms, Generic, forged));

        Assert.Empty(await Registered());
    }

    [Theory]
    [InlineData("")]
    [InlineData("true")]
    [InlineData(" TRUE ")]
    [InlineData("1")]
    [InlineData("yes")]
    public async Task A_test_delivery_answers_with_whom_it_would_store_and_stores_nobody(string flag)
    {
        var result = Assert.IsType<WebhookTest>(await intake.ReceiveAsync(Forms, Generic, Fixture(test: flag)));

        Assert.False(result.ProviderMarked);
        Assert.False(result.ExistingParticipant);
        Assert.Empty(result.Problems);
        Assert.Equal((WebhookFixtures.DefaultEmail, "sub-1"), (result.WouldStore!.Email, result.SubmissionId));
        Assert.Empty(await Registered());
        Assert.Null(await program.Registry.SubmissionAsync(Forms, new RegistrationSource(Generic, "sub-1")));
    }

    [Fact]
    public async Task A_test_delivery_says_when_the_person_is_registered_already()
    {
        await intake.ReceiveAsync(Forms, Generic, Fixture());

        var result = Assert.IsType<WebhookTest>(await intake.ReceiveAsync(Forms, Generic, Fixture(test: "true", submissionId: "sub-2")));

        Assert.True(result.ExistingParticipant);
    }

    [Fact]
    public async Task A_providers_test_delivery_that_could_register_nobody_is_not_reported_as_updating_the_registered_person()
    {
        await intake.ReceiveAsync(Forms, Generic, Fixture());
        var body = WebhookFixtures.Text(Generic, "sub-2").Replace("\"submissionId\"", "\"test\": true, \"submissionId\"", StringComparison.Ordinal)
            .Replace("\"consent\": true", "\"consent\": false", StringComparison.Ordinal);

        var test = Assert.IsType<WebhookTest>(await intake.ReceiveAsync(Forms, Generic, Delivery(body)));

        Assert.Equal("consent", Assert.Single(test.Problems).Field);
        Assert.Null(test.WouldStore);
        Assert.False(test.ExistingParticipant);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("No")]
    public async Task Test_false_is_a_real_delivery(string flag)
    {
        Assert.IsType<WebhookStored>(await intake.ReceiveAsync(Forms, Generic, Fixture(test: flag)));

        Assert.Single(await Registered());
    }

    [Fact]
    public async Task A_test_flag_that_is_neither_true_nor_false_is_refused()
    {
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => intake.ReceiveAsync(Forms, Generic, Fixture(test: "maybe")));

        var error = Assert.Single(refused.Errors);
        Assert.Equal(("test", Rules.Format, "'test' must be true or false, not 'maybe'."), (error.Field, error.Rule, error.Detail));
        Assert.Empty(await Registered());
    }

    [Fact]
    public async Task The_providers_own_test_delivery_with_dummy_answers_is_acknowledged_with_its_problems()
    {
        var body = WebhookFixtures.Text(Generic).Replace("\"submissionId\"", "\"test\": true, \"submissionId\"", StringComparison.Ordinal)
            .Replace(WebhookFixtures.DefaultEmail, "not-an-address", StringComparison.Ordinal);

        var marked = Assert.IsType<WebhookTest>(await intake.ReceiveAsync(Forms, Generic, Delivery(body)));
        var strict = await Assert.ThrowsAsync<ValidationFailedException>(() => intake.ReceiveAsync(Forms, Generic, Delivery(body, test: "true")));

        Assert.True(marked.ProviderMarked);
        Assert.Null(marked.WouldStore);
        Assert.Contains(marked.Problems, p => p.Field == "email");
        Assert.Contains(strict.Errors, p => p.Field == "email");
        Assert.Empty(await Registered());
    }

    [Fact]
    public async Task After_registration_closes_a_test_reports_it_a_new_signup_is_refused_and_an_earlier_signups_retry_is_acknowledged()
    {
        await intake.ReceiveAsync(Forms, Generic, Fixture());
        program.Clock.Advance(TimeSpan.FromDays(1));

        var test = Assert.IsType<WebhookTest>(await intake.ReceiveAsync(Forms, Generic,
            Delivery(WebhookFixtures.Text(Generic).Replace("\"submissionId\"", "\"test\": true, \"submissionId\"", StringComparison.Ordinal))));
        var strictTest = await Assert.ThrowsAsync<ConflictException>(() => intake.ReceiveAsync(Forms, Generic, Fixture(test: "true")));
        var late = await Assert.ThrowsAsync<ConflictException>(() =>
            intake.ReceiveAsync(Forms, Generic, Delivery(WebhookFixtures.Text(Generic, "sub-2", "bo@example.com"))));
        var retry = Assert.IsType<WebhookStored>(await intake.ReceiveAsync(Forms, Generic, Fixture()));

        var problem = Assert.Single(test.Problems);
        Assert.Equal(("$", "registration-closed"), (problem.Field, problem.Rule));
        Assert.False(test.ExistingParticipant); // the registered person: a closed window updates nobody
        Assert.StartsWith("Registration for 'Forms signups' closed at", problem.Detail, StringComparison.Ordinal);
        Assert.StartsWith("Registration for 'Forms signups' closed at", strictTest.Message, StringComparison.Ordinal);
        Assert.StartsWith("Registration for 'Forms signups' closed at", late.Message, StringComparison.Ordinal);
        Assert.Equal(SubmissionEffect.Unchanged, retry.Outcome.Effect);
        Assert.Equal(WebhookFixtures.DefaultEmail, retry.Outcome.Participant!.Value.Email);
        Assert.Single(await Registered());
    }

    [Fact]
    public async Task After_registration_closes_a_retry_of_a_signup_from_before_the_ledger_is_still_acknowledged()
    {
        var ada = (await intake.ReceiveAsync(Forms, Generic, Fixture())) as WebhookStored;
        var key = SubmissionRecord.KeyOf(Forms, Generic, "sub-1");
        await program.Store.DeleteAsync(key);
        await program.Store.UpdateAsync<Participant>(ParticipantRegistry.KeyOf(Forms, ada!.Outcome.Participant!.Value.Id),
            p => p with { Submissions = ["generic:sub-1"] });
        program.Clock.Advance(TimeSpan.FromDays(1));

        var retry = Assert.IsType<WebhookStored>(await intake.ReceiveAsync(Forms, Generic, Fixture()));
        var unknown = await Assert.ThrowsAsync<ConflictException>(() => intake.ReceiveAsync(Forms, Generic, Fixture(submissionId: "sub-9")));

        Assert.Equal(SubmissionEffect.Unchanged, retry.Outcome.Effect);
        Assert.StartsWith("Registration for 'Forms signups' closed at", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_registration_closes_an_invalid_delivery_never_seen_before_is_refused()
    {
        program.Clock.Advance(TimeSpan.FromDays(1));
        var body = WebhookFixtures.Text(Generic).Replace(WebhookFixtures.DefaultEmail, "not-an-address", StringComparison.Ordinal);

        await Assert.ThrowsAnyAsync<DomainException>(() => intake.ReceiveAsync(Forms, Generic, Delivery(body)));

        Assert.Empty(await Registered());
    }

    [Fact]
    public async Task A_delivery_without_an_address_is_refused_naming_the_field()
    {
        var body = WebhookFixtures.Text(Generic).Replace($"\"email\": \"{WebhookFixtures.DefaultEmail}\",", "", StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookFixtures.DefaultEmail, body, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => intake.ReceiveAsync(Forms, Generic, Delivery(body)));

        Assert.Contains(refused.Errors, e => e.Field == "email");
        Assert.Empty(await Registered());
    }

    [Fact]
    public async Task A_partial_response_is_acknowledged_and_stores_nothing()
    {
        var body = WebhookScenarios.TypeformPartial();
        var delivery = WebhookFixtures.SignedWith(WebhookFixtures.Typeform, Secret, body).ToDelivery();

        var result = Assert.IsType<WebhookPartial>(await intake.ReceiveAsync(Forms, WebhookFixtures.Typeform, delivery));

        Assert.Equal((WebhookFixtures.Typeform, "partial-0001"), (result.Provider, result.SubmissionId));
        Assert.Empty(await Registered());
    }

    [Fact]
    public async Task A_partial_response_without_a_token_is_acknowledged_without_an_id()
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(WebhookScenarios.TypeformPartial())
            .Replace("\"token\": \"partial-0001\",", "", StringComparison.Ordinal));
        Assert.DoesNotContain("\"token\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        var delivery = WebhookFixtures.SignedWith(WebhookFixtures.Typeform, Secret, body).ToDelivery();

        var result = Assert.IsType<WebhookPartial>(await intake.ReceiveAsync(Forms, WebhookFixtures.Typeform, delivery));

        Assert.Equal((WebhookFixtures.Typeform, (string?)null), (result.Provider, result.SubmissionId));
        Assert.Empty(await Registered());
    }
}
