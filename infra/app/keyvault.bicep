// Key Vault with Azure RBAC. Holds the link signing keys (from the azd environment) and the SendGrid API key, which an
// admin sets once after the first `azd up` (README); the app reads both through Key Vault references as its identity.
param name string
param location string
param tags object = {}
@description('The app identity: Key Vault Secrets User.')
param readerPrincipalId string
@description('The person or pipeline running azd: Key Vault Secrets Officer, to set the SendGrid key. Empty for none.')
param adminPrincipalId string = ''
param adminPrincipalType string = 'User'
@secure()
param signingKeys string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var sendGridSecretName = 'sendgrid-api-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource signingKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'signing-keys'
  properties: {
    value: signingKeys
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource admin 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(adminPrincipalId)) {
  name: guid(vault.id, adminPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
    principalId: adminPrincipalId
    principalType: adminPrincipalType
  }
}

output name string = vault.name
// Versionless URIs: the app picks up a new secret version (a rotated SendGrid key) without a redeploy.
output signingKeysSecretUri string = '${vault.properties.vaultUri}secrets/signing-keys/'
output sendGridApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${sendGridSecretName}/'
