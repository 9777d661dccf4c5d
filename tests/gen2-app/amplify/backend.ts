import { defineBackend } from '@aws-amplify/backend';
import { Stack } from 'aws-cdk-lib';
import { AuthorizationType, MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';

const backend = defineBackend({});
const apiStack = backend.createStack('api-stack');
const api = new RestApi(apiStack, 'RestApi', { restApiName: 'myRestApi', deploy: true, deployOptions: { stageName: 'dev' } });
const mock = new MockIntegration({ requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: [{ statusCode: '200' }] });
const items = api.root.addResource('items');
items.addMethod('GET', mock, { authorizationType: AuthorizationType.IAM, methodResponses: [{ statusCode: '200' }] });
items.addResource('{id}').addMethod('DELETE', mock, { authorizationType: AuthorizationType.NONE, methodResponses: [{ statusCode: '200' }] });
backend.addOutput({
  custom: {
    API: {
      [api.restApiName]: { endpoint: api.url, region: Stack.of(api).region, apiName: api.restApiName },
    },
  },
});
