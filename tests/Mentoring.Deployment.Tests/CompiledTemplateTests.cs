using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mentoring.Deployment.Tests;

/// <summary>
/// infra/ as Azure Resource Manager receives it: <c>bicep build infra/main.bicep</c> and <c>bicep lint</c> pass without a
/// single diagnostic (a warning fails), and the compiled ARM JSON holds what the app needs.
/// </summary>
public sealed partial class CompiledTemplateTests(CompiledInfrastructure infrastructure) : IClassFixture<CompiledInfrastructure>
{
    [Fact]
    public void Bicep_build_succeeds_without_any_warning()
    {
        Assert.True(infrastructure.Build.ExitCode == 0, infrastructure.Build.Diagnostics);
        Assert.Equal("", infrastructure.Build.Diagnostics.Trim());
    }

    [Fact]
    public void Bicep_lint_finds_nothing()
    {
        Assert.True(infrastructure.Lint.ExitCode == 0, infrastructure.Lint.Diagnostics + infrastructure.Lint.Output);
        Assert.Equal("", (infrastructure.Lint.Diagnostics + infrastructure.Lint.Output).Trim());
    }

    [Fact]
    public void The_app_runs_on_the_flex_consumption_plan()
    {
        var plan = Assert.Single(Resources("Microsoft.Web/serverfarms"));

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean()); // Linux
    }

    [Fact]
    public void The_runtime_is_the_dotnet_10_isolated_worker()
    {
        var runtime = Site().GetProperty("properties").GetProperty("functionAppConfig").GetProperty("runtime");

        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
    }

    [Fact]
    public void The_app_has_the_user_assigned_identity_and_reads_its_package_and_key_vault_references_with_it()
    {
        var site = Site();
        var identity = site.GetProperty("identity");
        var deployment = site.GetProperty("properties").GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");

        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        Assert.Equal("[format('{0}', parameters('identityId'))]", Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject()).Name);
        Assert.Equal("UserAssignedIdentity", deployment.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", deployment.GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString());
        Assert.Equal("[parameters('identityId')]", site.GetProperty("properties").GetProperty("keyVaultReferenceIdentity").GetString());
        Assert.Equal("[reference(extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, format('rg-{0}', parameters('environmentName'))), 'Microsoft.Resources/deployments', 'identity'), '2025-04-01').outputs.id.value]",
            Module("api").GetProperty("parameters").GetProperty("identityId").GetProperty("value").GetString());
    }

    [Fact]
    public void Every_data_connection_uses_the_identity_and_no_key_appears_anywhere()
    {
        var settings = AppSettings();
        var text = infrastructure.Build.Output;

        Assert.Equal("'managedidentity'", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("parameters('identityClientId')", settings["AzureWebJobsStorage__clientId"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Contains($".primaryEndpoints.{service}", settings[$"AzureWebJobsStorage__{service}ServiceUri"], StringComparison.Ordinal);
        }

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "a storage connection string");
        Assert.Equal("parameters('identityClientId')", settings["AZURE_CLIENT_ID"]); // DefaultAzureCredential: Cosmos, the work queue
        Assert.Contains(".outputs.endpoint.value", settings["Mentoring__Cosmos__AccountEndpoint"], StringComparison.Ordinal);
        Assert.False(settings.ContainsKey("Mentoring__Cosmos__ConnectionString"));
        Assert.Equal("format('ClientId={0};Authorization=AAD', parameters('identityClientId'))", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.DoesNotContain("listKeys(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", text, StringComparison.Ordinal);
        Assert.False(Assert.Single(Resources("Microsoft.Storage/storageAccounts")).GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b")] // Storage Blob Data Owner
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88")] // Storage Queue Data Contributor
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")] // Storage Table Data Contributor
    public void The_identity_gets_the_storage_data_roles_the_host_durable_and_the_work_queue_need(string roleId)
    {
        var storage = Module("storage").GetProperty("template");

        Assert.Contains(roleId, storage.GetProperty("variables").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roles')[",
            Assert.Single(Resources("Microsoft.Authorization/roleAssignments", storage)).GetProperty("properties").GetProperty("roleDefinitionId").GetString(),
            StringComparison.Ordinal);
        // The app's identity, plus the deploying user's when azd gives one.
        Assert.StartsWith("[if(empty(parameters('principalId')), createObject('value', createArray(reference(",
            Module("storage").GetProperty("parameters").GetProperty("principalIds").GetString(), StringComparison.Ordinal);
        Assert.Contains("'identity'), '2025-04-01').outputs.principalId.value))",
            Module("storage").GetProperty("parameters").GetProperty("principalIds").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cosmos_db_is_serverless_with_local_auth_disabled()
    {
        var account = Assert.Single(Resources("Microsoft.DocumentDB/databaseAccounts")).GetProperty("properties");

        Assert.True(account.GetProperty("disableLocalAuth").GetBoolean());
        Assert.Equal(["EnableServerless"], account.GetProperty("capabilities").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public void The_identity_gets_the_built_in_cosmos_data_contributor_role()
    {
        var cosmos = Module("cosmos");
        var assignment = Assert.Single(Resources("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")).GetProperty("properties");

        Assert.Equal("00000000-0000-0000-0000-000000000002", cosmos.GetProperty("template").GetProperty("variables").GetProperty("dataContributorRoleId").GetString());
        Assert.Equal("[format('{0}/sqlRoleDefinitions/{1}', resourceId('Microsoft.DocumentDB/databaseAccounts', parameters('accountName')), variables('dataContributorRoleId'))]",
            assignment.GetProperty("roleDefinitionId").GetString());
        Assert.Equal("[parameters('dataContributorPrincipalIds')[copyIndex()]]", assignment.GetProperty("principalId").GetString());
        Assert.Contains("'identity'), '2025-04-01').outputs.principalId.value))",
            cosmos.GetProperty("parameters").GetProperty("dataContributorPrincipalIds").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sendgrid_key_is_a_key_vault_reference_to_the_vaults_secret()
    {
        var settings = AppSettings();
        var vault = Module("keyvault").GetProperty("template");

        Assert.Matches(@"^format\('@Microsoft\.KeyVault\(SecretUri=\{0\}\)', reference\(.*'keyvault'\), '[\d-]+'\)\.outputs\.sendGridApiKeySecretUri\.value\)$",
            settings["Mentoring__SendGrid__ApiKey"]);
        Assert.Contains("secrets/{1}/", vault.GetProperty("outputs").GetProperty("sendGridApiKeySecretUri").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.True(Assert.Single(Resources("Microsoft.KeyVault/vaults")).GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", vault.GetProperty("variables").GetProperty("secretsUser").GetString()); // Key Vault Secrets User
    }

    [Fact]
    public void The_app_gets_the_queue_and_timer_settings_its_triggers_read()
    {
        var settings = AppSettings();
        var api = Module("api").GetProperty("template").GetProperty("parameters");

        Assert.Equal("parameters('workQueueName')", settings["Mentoring__Work__QueueName"]);
        Assert.Equal("parameters('checkInsSchedule')", settings["Mentoring__Schedules__CheckIns"]);
        Assert.Equal("parameters('surveyRemindersSchedule')", settings["Mentoring__Schedules__SurveyReminders"]);
        Assert.Equal("0 0 9 * * *", api.GetProperty("checkInsSchedule").GetProperty("defaultValue").GetString());
        Assert.Equal("0 30 9 * * *", api.GetProperty("surveyRemindersSchedule").GetProperty("defaultValue").GetString());
        Assert.Contains(".outputs.workQueueName.value", Module("api").GetProperty("parameters").GetProperty("workQueueName").GetProperty("value").GetString(), StringComparison.Ordinal);
        var queues = Assert.Single(Resources("Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Contains("createArray(parameters('workQueueName'), format('{0}-poison', parameters('workQueueName')))", queues.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("'mentoring'", settings["DurableTaskHubName"]);
    }

    [Fact]
    public void Application_insights_takes_entra_id_only_and_the_app_may_publish_to_it()
    {
        var insights = Assert.Single(Resources("Microsoft.Insights/components")).GetProperty("properties");
        var settings = AppSettings();

        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Contains(".outputs.connectionString.value", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] is "parameters('applicationInsightsConnectionString')"
            ? Module("api").GetProperty("parameters").GetProperty("applicationInsightsConnectionString").GetProperty("value").GetString()
            : "", StringComparison.Ordinal);
        Assert.Equal("3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
            Module("monitoring").GetProperty("template").GetProperty("variables").GetProperty("monitoringMetricsPublisher").GetString());
    }

    [Fact]
    public void Flex_consumption_gets_no_settings_it_refuses()
    {
        var settings = AppSettings();

        foreach (var refused in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE" })
        {
            Assert.False(settings.ContainsKey(refused), refused);
        }
    }

    private JsonElement Site() => Assert.Single(Resources("Microsoft.Web/sites"));

    private JsonElement Module(string name) =>
        infrastructure.Template.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name)
            .GetProperty("properties");

    /// <summary>Every resource of <paramref name="type"/> in the template and its modules.</summary>
    private IReadOnlyList<JsonElement> Resources(string type, JsonElement? template = null)
    {
        var found = new List<JsonElement>();
        Collect(template ?? infrastructure.Template, type, found);
        return found;
    }

    private static void Collect(JsonElement template, string type, List<JsonElement> found)
    {
        foreach (var resource in template.GetProperty("resources").EnumerateArray())
        {
            if (resource.GetProperty("type").GetString() == type)
            {
                found.Add(resource);
            }

            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            {
                Collect(resource.GetProperty("properties").GetProperty("template"), type, found);
            }
        }
    }

    /// <summary>
    /// The app settings as ARM expressions (a literal as <c>'text'</c>): main.bicep's <c>appSettings</c> object, united
    /// with the settings api.bicep adds in its <c>createObject(name, value, ...)</c>.
    /// </summary>
    private Dictionary<string, string> AppSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in Module("api").GetProperty("parameters").GetProperty("appSettings").GetProperty("value").EnumerateObject())
        {
            var value = setting.Value.GetString()!;
            settings[setting.Name] = value.StartsWith('[') ? value[1..^1] : $"'{value}'";
        }

        var config = Assert.Single(Resources("Microsoft.Web/sites/config")).GetProperty("properties").GetString()!;
        var union = UnionOfAppSettings().Match(config);
        Assert.True(union.Success, config);
        var arguments = TopLevelArguments(union.Groups["args"].Value);
        for (var i = 0; i + 1 < arguments.Count; i += 2)
        {
            settings[arguments[i].Trim('\'')] = arguments[i + 1];
        }

        return settings;
    }

    /// <summary>Splits an ARM function's argument list at its top-level commas.</summary>
    private static List<string> TopLevelArguments(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '(' or '[')
            {
                depth++;
            }
            else if (!quoted && c is ')' or ']')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ',')
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(text[start..].Trim());
        return parts;
    }

    [GeneratedRegex(@"^\[union\(parameters\('appSettings'\), createObject\((?<args>.*)\)\)\]$")]
    private static partial Regex UnionOfAppSettings();
}
