// A REST API mixing every authorization API Gateway has (IAM, a Cognito user pool, a Lambda
// authorizer, an API key, none), a request model, query/header/path parameters, a greedy
// proxy and a nested stack holding part of its routes; and an HTTP API with IAM, JWT (a user
// pool and another issuer) and no-auth routes, `$default` included.
import { NestedStack, NestedStackProps, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

const mock = () =>
  new apigateway.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200' }],
  });
const ok = [{ statusCode: '200' }];

interface OrdersProps extends NestedStackProps {
  readonly restApiId: string;
  readonly rootResourceId: string;
}

/** The `/orders` routes of the REST API, in a nested stack (as large apps split them). */
class OrdersStack extends NestedStack {
  constructor(scope: Construct, id: string, props: OrdersProps) {
    super(scope, id, props);
    const api = apigateway.RestApi.fromRestApiAttributes(this, 'RestApi', {
      restApiId: props.restApiId,
      rootResourceId: props.rootResourceId,
    });
    const orders = api.root.addResource('orders');
    orders.addMethod('GET', mock(), {
      authorizationType: apigateway.AuthorizationType.IAM,
      methodResponses: ok,
    });
    const order = orders.addResource('{orderId}');
    order.addMethod('PUT', mock(), {
      authorizationType: apigateway.AuthorizationType.IAM,
      apiKeyRequired: true,
      methodResponses: ok,
    });
  }
}

export class FixtureStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const userPool = new cognito.UserPool(this, 'UserPool', { userPoolName: 'fixture-users' });

    // The REST API.
    const api = new apigateway.RestApi(this, 'ItemsRestApi', {
      restApiName: 'itemsRestApi',
      deployOptions: { stageName: 'prod' },
      cloudWatchRole: false,
    });
    const userPoolAuthorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'UserPoolAuthorizer', {
      cognitoUserPools: [userPool],
    });
    const tokenFunction = new lambda.Function(this, 'TokenAuthorizerFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        'exports.handler = async () => ({ principalId: "user", policyDocument: { Version: "2012-10-17", Statement: [] } });',
      ),
    });
    const tokenAuthorizer = new apigateway.TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: tokenFunction,
    });
    const itemModel = api.addModel('ItemModel', {
      contentType: 'application/json',
      modelName: 'Item',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        title: 'Item',
        type: apigateway.JsonSchemaType.OBJECT,
        properties: {
          name: { type: apigateway.JsonSchemaType.STRING },
          quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 0 },
          tags: { type: apigateway.JsonSchemaType.ARRAY, items: { type: apigateway.JsonSchemaType.STRING } },
        },
        required: ['name', 'quantity'],
      },
    });

    api.root.addResource('health').addMethod('GET', mock(), {
      authorizationType: apigateway.AuthorizationType.NONE,
      methodResponses: ok,
    });
    const items = api.root.addResource('items');
    items.addMethod('GET', mock(), {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestParameters: {
        'method.request.querystring.limit': false,
        'method.request.querystring.category': true,
      },
      methodResponses: ok,
    });
    items.addMethod('POST', mock(), {
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizer: userPoolAuthorizer,
      requestModels: { 'application/json': itemModel },
      methodResponses: ok,
    });
    const item = items.addResource('{id}');
    item.addMethod('GET', mock(), {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestParameters: {
        'method.request.path.id': true,
        'method.request.header.x-request-id': false,
      },
      methodResponses: ok,
    });
    item.addMethod('DELETE', mock(), {
      authorizationType: apigateway.AuthorizationType.NONE,
      apiKeyRequired: true,
      methodResponses: ok,
    });
    api.root.addResource('me').addMethod('GET', mock(), {
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizer: userPoolAuthorizer,
      methodResponses: ok,
    });
    api.root.addResource('reports').addMethod('GET', mock(), {
      authorizationType: apigateway.AuthorizationType.CUSTOM,
      authorizer: tokenAuthorizer,
      methodResponses: ok,
    });
    // A greedy proxy: `/files/{proxy+}`, every method (`ANY`).
    api.root.addResource('files').addProxy({
      defaultIntegration: mock(),
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM, methodResponses: ok },
    });
    new OrdersStack(this, 'Orders', {
      restApiId: api.restApiId,
      rootResourceId: api.restApiRootResourceId,
    });

    // The HTTP API.
    const httpApi = new apigwv2.HttpApi(this, 'ItemsHttpApi', {
      apiName: 'itemsHttpApi',
      defaultIntegration: new integrations.HttpUrlIntegration('Fallback', 'https://example.com/'),
    });
    const upstream = new integrations.HttpUrlIntegration('Upstream', 'https://example.com/{proxy}');
    const client = userPool.addClient('HttpApiClient');
    httpApi.addRoutes({
      path: '/items',
      methods: [apigwv2.HttpMethod.GET],
      integration: upstream,
      authorizer: new authorizers.HttpIamAuthorizer(),
    });
    httpApi.addRoutes({
      path: '/items/{id}',
      methods: [apigwv2.HttpMethod.POST],
      integration: upstream,
      authorizer: new authorizers.HttpUserPoolAuthorizer('UserPoolJwt', userPool, {
        userPoolClients: [client],
      }),
    });
    httpApi.addRoutes({
      path: '/partners/{partnerId}',
      methods: [apigwv2.HttpMethod.GET],
      integration: upstream,
      authorizer: new authorizers.HttpJwtAuthorizer('PartnerJwt', 'https://login.example.com/', {
        jwtAudience: ['partners'],
      }),
    });
    httpApi.addRoutes({
      path: '/status',
      methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.HEAD],
      integration: upstream,
      authorizer: new apigwv2.HttpNoneAuthorizer(),
    });
    httpApi.addRoutes({
      path: '/assets/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      integration: upstream,
    });
  }
}
