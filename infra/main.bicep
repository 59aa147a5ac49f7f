// Everything `azd up` deploys for the Mentoring backend: one Flex Consumption Functions app (.NET 10 isolated) with a
// user-assigned identity, identity-based storage (no keys), Cosmos DB serverless (Entra ID only), Key Vault for secrets,
// Application Insights. Names derive from the azd environment, so each environment is its own resource group.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource (one that offers Flex Consumption).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person (or pipeline) running azd: may set Key Vault secrets and read the Cosmos data. Empty for none.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@secure()
@minLength(44)
@description('Base64 of 32+ random bytes that signs decision and participant links (azd env set MENTORING_SIGNING_KEY "$(openssl rand -base64 32)"). Keep it: a new key voids links already mailed.')
param signingKey string

@description('Sender address verified in SendGrid.')
param sendGridFromEmail string

@description('SendGrid sandbox mode: mail is validated but never delivered.')
param sendGridSandboxMode bool = false

@description('Signed Event Webhook verification key from SendGrid (Mail Settings > Event Webhook). Empty: /api/mail/events refuses every call.')
param sendGridEventWebhookKey string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-mentoring-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'
var workQueueName = 'mentoring-work'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-mentoring-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    workQueueName: workQueueName
    principalIds: empty(principalId) ? [identity.outputs.principalId] : [identity.outputs.principalId, principalId]
  }
}

module cosmos 'app/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    accountName: 'cosmos-${resourceToken}'
    location: location
    tags: tags
    dataContributorPrincipalIds: empty(principalId) ? [identity.outputs.principalId] : [identity.outputs.principalId, principalId]
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    adminPrincipalId: principalId
    adminPrincipalType: principalType
    signingKeys: 'k1:${signingKey}'
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    workQueueName: storage.outputs.workQueueName
    appSettings: {
      DurableTaskHubName: 'mentoring'
      Mentoring__Cosmos__AccountEndpoint: cosmos.outputs.endpoint
      Mentoring__Cosmos__DatabaseName: cosmos.outputs.databaseName
      Mentoring__Cosmos__ContainerName: cosmos.outputs.containerName
      Mentoring__Cosmos__CreateIfMissing: 'false'
      Mentoring__SigningKeys: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.signingKeysSecretUri})'
      Mentoring__SendGrid__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.sendGridApiKeySecretUri})'
      Mentoring__SendGrid__FromEmail: sendGridFromEmail
      Mentoring__SendGrid__SandboxMode: string(sendGridSandboxMode)
      Mentoring__SendGrid__EventWebhookPublicKey: sendGridEventWebhookKey
    }
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
