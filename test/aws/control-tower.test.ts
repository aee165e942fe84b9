import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EncryptionKey } from '../../constructs/aws';
import { ConformanceError, conformingApp, synthesizeConforming } from '../support/aws-conformance';

function keyStack(build: (stack: Stack) => void) {
  const app = conformingApp();
  build(new Stack(app, 'Keys', { env: { region: 'eu-west-1', account: '123456789012' } }));
  return app;
}

function findingsOf(run: () => unknown): Array<{ plugin: string; rule: string; constructPath: string }> {
  try {
    run();
  } catch (error) {
    if (error instanceof ConformanceError) {
      return error.findings.map(({ plugin, rule, constructPath }) => ({ plugin, rule, constructPath }));
    }
    throw error;
  }
  return [];
}

describe('the AWS Control Tower pack (cfn-guard)', () => {
  test('GIVEN a key whose policy lets any principal create grants THEN synthesis fails on CT.KMS.PR.3', () => {
    const app = keyStack((stack) => new kms.Key(stack, 'Plain', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN }));
    expect(findingsOf(() => synthesizeConforming(app))).toEqual([
      { plugin: 'cdk-validator-cfnguard', rule: 'kms_create_grant_aws_service_check', constructPath: 'Keys/Plain/Resource' },
    ]);
  });

  test('GIVEN an EncryptionKey THEN no pack has a finding', () => {
    const app = keyStack((stack) => new EncryptionKey(stack, 'Data'));
    expect(findingsOf(() => synthesizeConforming(app))).toEqual([]);
  });

  test('GIVEN an EncryptionKey THEN its policy denies grants that are not for AWS resources, to every principal', () => {
    const stack = new Stack();
    new EncryptionKey(stack, 'Data');
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0] as any;
    expect(policy.Properties.KeyPolicy.Statement.filter((s: any) => s.Effect === 'Deny')).toEqual([{
      Sid: 'DenyGrantsNotForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }]);
  });
});
