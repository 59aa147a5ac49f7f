using System.Text.RegularExpressions;
using Mentoring.Cosmos;

namespace Mentoring.Deployment.Tests;

/// <summary>The Cosmos container in infra/ is the one the store expects (read from the Bicep source; the compiled template is
/// checked in <see cref="CompiledTemplateTests"/>).</summary>
public sealed class BicepTests
{
    private static readonly IReadOnlyList<(string Path, string Text)> Files = Repository.Bicep();

    private static string Code(string file) => Repository.Code(Files.Single(f => f.Path == file).Text);

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
}
