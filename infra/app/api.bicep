// The Functions app on the Flex Consumption plan (FC1), .NET 10 isolated worker. The deployment package, the host's
// storage, Application Insights and Key Vault references all use the user-assigned identity; no connection string
// with a key appears anywhere.
param name string
param planName string
param location string
param tags object = {}
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
@description('Application settings of the app (Section__Key).')
param appSettings object = {}
@description('The engagement work queue the queue-triggered function reads (created by storage.bicep).')
param workQueueName string = 'mentoring-work'
@description('Six-field NCrontab (seconds first, UTC) of the CheckIns timer: check-in nudges, at-risk digests.')
param checkInsSchedule string = '0 0 9 * * *'
@description('Six-field NCrontab (seconds first, UTC) of the SurveyReminders timer: survey invites and reminders.')
param surveyRemindersSchedule string = '0 30 9 * * *'
param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// A child resource, so the settings can name the app's own host name (links in mails point there).
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(appSettings, {
    // Identity-based host storage: the Functions host, Durable Functions (queues, tables) and the queue triggers.
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // DefaultAzureCredential (the Cosmos DB client, the work queue clients of FunctionsHost) picks the user-assigned identity by this id.
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    Mentoring__PublicBaseUrl: 'https://${app.properties.defaultHostName}'
    // Engagement work. The triggers name these %Mentoring:Work:QueueName% and %Mentoring:Schedules:{Job}%: the host's
    // configuration reads '__' in a setting name as ':', and Linux app setting names cannot contain ':'.
    Mentoring__Work__QueueName: workQueueName
    Mentoring__Schedules__CheckIns: checkInsSchedule
    Mentoring__Schedules__SurveyReminders: surveyRemindersSchedule
  })
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
