// The Functions host's storage (AzureWebJobsStorage): blobs for the deployment package and leases, queues and tables for
// Durable Functions' task hub and the queue triggers, and the engagement work queue. Shared keys are off; the identity gets
// data roles instead (Storage Queue Data Contributor covers sending, receiving, peeking and deleting work messages).
param name string
param location string
param tags object = {}
param deploymentContainerName string
@description('The engagement work queue (app setting Mentoring__Work__QueueName); the Functions host moves messages that failed every attempt to <name>-poison.')
param workQueueName string = 'mentoring-work'
@description('Principals that get blob, queue and table data roles (the app identity, and optionally the developer).')
param principalIds array

var roles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The host creates missing queues itself, but the admin poison list reads <name>-poison before anything failed.
resource workQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in [workQueueName, '${workQueueName}-poison']: {
  parent: queueService
  name: queueName
}]

// One assignment per (principal, role): index i walks principals (i / 3) and roles (i % 3).
resource dataRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, length(principalIds) * length(roles)): {
  name: guid(storage.id, principalIds[i / length(roles)], roles[i % length(roles)])
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[i % length(roles)])
    principalId: principalIds[i / length(roles)]
  }
}]

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output workQueueName string = workQueueName
