// Cosmos DB for NoSQL, serverless, Entra ID only (keys disabled). One database and one container partitioned by
// /programId with the indexing policy of CosmosDocumentStore.ContainerPropertiesFor: only /programId, /kind and the
// queried body properties are indexed. The app cannot create containers itself (data-plane roles cannot), so they live here.
param accountName string
param location string
param tags object = {}
param databaseName string = 'mentoring'
param containerName string = 'documents'
@description('Top-level document properties queries filter on; CosmosStoreOptions.IndexedProperties.')
param indexedProperties array = ['status']
@description('Principals that get the built-in Cosmos DB Data Contributor role (data plane).')
param dataContributorPrincipalIds array

var dataContributorRoleId = '00000000-0000-0000-0000-000000000002' // Cosmos DB Built-in Data Contributor

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: containerName
  properties: {
    resource: {
      id: containerName
      partitionKey: {
        paths: ['/programId']
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: concat([
          { path: '/programId/?' }
          { path: '/kind/?' }
        ], map(indexedProperties, property => { path: '/body/${property}/?' }))
        excludedPaths: [
          { path: '/*' }
        ]
      }
    }
  }
}

resource dataContributors 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = [for principalId in dataContributorPrincipalIds: {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: account.id
  }
}]

output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerName string = container.name
