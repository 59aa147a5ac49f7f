using System.Text.RegularExpressions;
using Mentoring.Cosmos;

namespace Mentoring.Deployment.Tests;

public sealed class BicepTests
{
    private static readonly IReadOnlyList<(string Path, string Text)> Files = Repository.Bicep();

    private static string Code(string file) => Repository.Code(Files.Single(f => f.Path == file).Text);

    private static string AllCode => string.Concat(Files.Select(f => Repository.Code(f.Text)));

    [Fact]
    public void The_app_runs_on_the_flex_consumption_plan()
    {
        var api = Code("infra/app/api.bicep");

        Assert.Matches(@"name:\s*'FC1'", api);
        Assert.Matches(@"tier:\s*'FlexConsumption'", api);
    }

    [Fact]
    public void The_runtime_is_the_dotnet_10_isolated_worker()
    {
        var runtime = Regex.Match(Code("infra/app/api.bicep"), @"runtime:\s*\{(?<body>[^}]*)\}");

        Assert.True(runtime.Success);
        Assert.Matches(@"name:\s*'dotnet-isolated'", runtime.Groups["body"].Value);
        Assert.Matches(@"version:\s*'10\.0'", runtime.Groups["body"].Value);
    }

    [Fact]
    public void The_deployment_package_is_read_with_the_user_assigned_identity()
    {
        var api = Code("infra/app/api.bicep");

        Assert.Matches(@"type:\s*'blobContainer'", api);
        Assert.Matches(@"type:\s*'UserAssignedIdentity'", api);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__blobServiceUri")]
    [InlineData("AzureWebJobsStorage__queueServiceUri")]
    [InlineData("AzureWebJobsStorage__tableServiceUri")]
    [InlineData("AzureWebJobsStorage__clientId")]
    public void Host_storage_is_reached_by_identity(string setting)
    {
        Assert.Matches($@"(?m)^\s*{setting}\s*:", Code("infra/app/api.bicep"));
    }

    [Fact]
    public void Host_storage_credential_is_the_managed_identity_and_no_key_is_used_anywhere()
    {
        Assert.Matches(@"AzureWebJobsStorage__credential:\s*'managedidentity'", Code("infra/app/api.bicep"));
        Assert.DoesNotMatch(@"(?m)^\s*AzureWebJobsStorage\s*:", AllCode); // a connection string setting
        Assert.DoesNotContain("AccountKey", AllCode, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys(", AllCode, StringComparison.Ordinal);
        Assert.Matches(@"allowSharedKeyAccess:\s*false", Code("infra/app/storage.bicep"));
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b")] // Storage Blob Data Owner
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88")] // Storage Queue Data Contributor
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")] // Storage Table Data Contributor
    public void The_identity_gets_the_storage_data_roles_durable_functions_needs(string roleId)
    {
        Assert.Contains($"'{roleId}'", Code("infra/app/storage.bicep"), StringComparison.Ordinal);
    }

    [Fact]
    public void Cosmos_db_is_serverless_with_local_auth_disabled()
    {
        var cosmos = Code("infra/app/cosmos.bicep");

        Assert.Matches(@"disableLocalAuth:\s*true", cosmos);
        Assert.Matches(@"name:\s*'EnableServerless'", cosmos);
    }

    [Fact]
    public void The_identity_gets_the_built_in_cosmos_data_contributor_role()
    {
        var cosmos = Code("infra/app/cosmos.bicep");

        Assert.Contains("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@", cosmos, StringComparison.Ordinal);
        Assert.Contains("'00000000-0000-0000-0000-000000000002'", cosmos, StringComparison.Ordinal);
    }

    [Fact]
    public void The_container_is_partitioned_by_program_id()
    {
        Assert.Matches(@"paths:\s*\[\s*'/programId'\s*\]", Code("infra/app/cosmos.bicep"));
    }

    [Fact]
    public void The_container_names_match_the_store_defaults()
    {
        var cosmos = Code("infra/app/cosmos.bicep");
        var defaults = new CosmosStoreOptions { AccountEndpoint = new Uri("https://example.documents.azure.com") };

        Assert.Matches($@"param databaseName string = '{defaults.DatabaseName}'", cosmos);
        Assert.Matches($@"param containerName string = '{defaults.ContainerName}'", cosmos);
    }

    [Fact]
    public void The_indexing_policy_is_the_one_the_store_creates()
    {
        var cosmos = Code("infra/app/cosmos.bicep");
        var indexed = Regex.Match(cosmos, @"param indexedProperties array = \[(?<list>[^\]]*)\]").Groups["list"].Value;
        var properties = Regex.Matches(indexed, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        var options = new CosmosStoreOptions { AccountEndpoint = new Uri("https://example.documents.azure.com") };
        var expected = CosmosDocumentStore.ContainerPropertiesFor(options).IndexingPolicy;

        // The Bicep builds its included paths from two literals plus one per indexed property.
        var literals = Regex.Matches(Regex.Match(cosmos, @"includedPaths:[\s\S]*?excludedPaths").Value, @"path:\s*'([^'$]+)'")
            .Select(m => m.Groups[1].Value);
        var bicepIncluded = literals.Concat(properties.Select(p => $"/body/{p}/?")).Order(StringComparer.Ordinal);
        var bicepExcluded = Regex.Matches(Regex.Match(cosmos, @"excludedPaths:\s*\[[^\]]*\]").Value, @"path:\s*'([^']+)'")
            .Select(m => m.Groups[1].Value);

        Assert.Equal(options.IndexedProperties, properties);
        Assert.Equal(expected.IncludedPaths.Select(p => p.Path).Order(StringComparer.Ordinal), bicepIncluded);
        Assert.Equal(expected.ExcludedPaths.Select(p => p.Path), bicepExcluded);
        Assert.Contains("/body/${property}/?", cosmos, StringComparison.Ordinal);
        Assert.Matches(@"indexingMode:\s*'consistent'", cosmos);
    }

    [Fact]
    public void The_sendgrid_key_is_a_key_vault_reference_resolved_with_the_app_identity()
    {
        var main = Code("infra/main.bicep");
        var api = Code("infra/app/api.bicep");

        Assert.Matches(@"Mentoring__SendGrid__ApiKey:\s*'@Microsoft\.KeyVault\(SecretUri=\$\{keyVault\.outputs\.\w+\}\)'", main);
        Assert.Matches(@"secrets/\$\{sendGridSecretName\}/'", Code("infra/app/keyvault.bicep"));
        Assert.Matches(@"keyVaultReferenceIdentity:\s*identityId", api);
    }

    [Fact]
    public void Key_vault_uses_rbac_and_the_app_may_read_secrets()
    {
        var vault = Code("infra/app/keyvault.bicep");

        Assert.Matches(@"enableRbacAuthorization:\s*true", vault);
        Assert.Contains("'4633458b-17de-408a-b874-0445c86b69e6'", vault, StringComparison.Ordinal); // Key Vault Secrets User
    }

    [Fact]
    public void Application_insights_uses_entra_id_not_its_instrumentation_key()
    {
        Assert.Matches(@"DisableLocalAuth:\s*true", Code("infra/app/monitoring.bicep"));
        Assert.Matches(@"APPLICATIONINSIGHTS_AUTHENTICATION_STRING:\s*'ClientId=\$\{identityClientId\};Authorization=AAD'", Code("infra/app/api.bicep"));
    }

    [Fact]
    public void Flex_consumption_gets_no_settings_it_refuses()
    {
        // On Flex Consumption the runtime is functionAppConfig.runtime; these settings are rejected there.
        Assert.DoesNotMatch(@"(?m)^\s*(FUNCTIONS_WORKER_RUNTIME|FUNCTIONS_EXTENSION_VERSION|WEBSITE_RUN_FROM_PACKAGE)\s*:", AllCode);
    }
}
