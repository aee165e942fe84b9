import { Stack, App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { EDGE_MODEL, STORES, synthFleet } from './fixtures';
import { EdgeOtaFleet } from '../../constructs/edge-ota-fleet/aws';
import { ModelArtifact } from '../../lib/core';
import { thrownBy } from '../support/canary-fixtures';

describe('EdgeOtaFleet on AWS', () => {
  test('GIVEN a model THEN one component version whose recipe checks the checksum, then the smoke inference, at install', () => {
    const { template, fleet } = synthFleet();
    const components = template.findResources('AWS::GreengrassV2::ComponentVersion');
    expect(Object.keys(components)).toHaveLength(1);
    const recipe = JSON.parse((Object.values(components)[0] as any).Properties.InlineRecipe);
    expect(recipe.ComponentName).toBe('ml.fraud');
    expect(recipe.ComponentVersion).toBe(fleet.componentVersion);
    expect(recipe.Manifests[0].Lifecycle.Install).toEqual({
      Script: `echo "${'c'.repeat(64)}  {artifacts:path}/model.tar.gz" | sha256sum -c - && python3 smoke.py`, Timeout: 900,
    });
    expect(recipe.Manifests[0].Artifacts).toEqual([{ Uri: 's3://models-eu/fraud/1.4.0/model.tar.gz', Unarchive: 'NONE', Permission: { Read: 'OWNER', Execute: 'NONE' } }]);
  });

  test('GIVEN the same props twice THEN the same version; GIVEN another model THEN another', () => {
    const first = synthFleet().fleet.componentVersion;
    expect(synthFleet().fleet.componentVersion).toBe(first);
    const other = ModelArtifact.fromUri('s3://models-eu/fraud/1.5.0/model.tar.gz', { version: '1.5.0', sha256: 'd'.repeat(64) });
    expect(synthFleet({ model: other }).fleet.componentVersion).not.toBe(first);
    expect(first).toMatch(/^1\.\d+\.0$/);
  });

  test('GIVEN a runtime THEN the recipe pins it as a hard dependency', () => {
    const { template } = synthFleet({ runtime: { componentName: 'aws.greengrass.DLR', version: '1.6.11' } });
    const recipe = JSON.parse((Object.values(template.findResources('AWS::GreengrassV2::ComponentVersion'))[0] as any).Properties.InlineRecipe);
    expect(recipe.ComponentDependencies).toEqual({ 'aws.greengrass.DLR': { VersionRequirement: '=1.6.11', DependencyType: 'HARD' } });
  });

  test('GIVEN the fleet THEN the token exchange role reads the model object only, and decrypts with the key', () => {
    const { template, stack, fleet } = synthFleet();
    const roleId = stack.getLogicalId(fleet.tokenExchangeRole.node.defaultChild as any);
    expect(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).toEqual({});
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: roleId }] } })) as any[];
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((statement: any) => statement.Action)).toEqual(['s3:GetObject', 'kms:Decrypt']);
    expect(statements[0].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models-eu/fraud/1.4.0/model.tar.gz']] });
  });

  test('GIVEN a new component version THEN the CloudFormation resource event of its creation starts the driver', () => {
    const { template, stack, fleet } = synthFleet();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudformation'],
        'detail-type': ['CloudFormation Resource Status Change'],
        'detail': {
          'stack-id': [{ Ref: 'AWS::StackId' }],
          'logical-resource-id': [stack.getLogicalId(fleet.component)],
          'status-details': { status: ['CREATE_COMPLETE'] },
        },
      },
    });
    const driverId = stack.getLogicalId(fleet.stateMachine.node.defaultChild as any);
    expect(template.toJSON().Resources[stack.getLogicalId(fleet.component)].DependsOn).toContain(driverId);
  });

  test('GIVEN the rollout queue THEN the driver may list the executions of its own state machine only, before any version can start it', () => {
    const { template, stack, fleet } = synthFleet();
    const driverId = stack.getLogicalId(fleet.stateMachine.node.defaultChild as any);
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: any) => [statement.Action].flat().includes('states:ListExecutions'));
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'states:ListExecutions', Resource: { Ref: driverId } }]);
    const [policyId] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('list its own running executions') } }));
    expect(template.toJSON().Resources[stack.getLogicalId(fleet.component)].DependsOn).toEqual(expect.arrayContaining([driverId, policyId]));
  });

  test('GIVEN no notifications outside a platform THEN refused', () => {
    const stack = new Stack(new App(), 'Edge', { env: { region: 'eu-west-1', account: '123456789012' } });
    expect(thrownBy(() => new EdgeOtaFleet(stack, 'Retail', {
      model: EDGE_MODEL, targets: STORES, smokeTestCommand: 'true', runCommand: 'serve',
    })).prop).toBe('notifications');
  });

  test('GIVEN a component name with a slash THEN refused', () => {
    expect(thrownBy(() => synthFleet({ componentName: 'ml/fraud' })).message).toBe(
      'Edge/Retail: invalid componentName "ml/fraud". Allowed: 1-128 letters, digits, ".", "_" and "-", starting with a letter or digit. Fix: e.g. "com.example.FraudModel"');
  });
});
