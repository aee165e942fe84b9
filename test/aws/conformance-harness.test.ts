import { CfnResource, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataBucket, EncryptionKey } from '../../constructs/aws';
import { ConformanceError, conformingApp, synthesizeConforming } from '../support/aws-conformance';

function findingsOf(build: (stack: Stack) => void): string[] {
  const app = conformingApp();
  build(new Stack(app, 'Probe', { env: { region: 'eu-west-1' } }));
  try {
    synthesizeConforming(app);
    return [];
  } catch (error) {
    if (error instanceof ConformanceError) {
      return error.findings.map((f) => f.rule);
    }
    throw error;
  }
}

describe('AWS conformance harness', () => {
  test('GIVEN a plain bucket THEN the three cdk-nag packs report it', () => {
    const rules = findingsOf((stack) => new s3.Bucket(stack, 'Plain'));
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'HIPAA.Security-S3BucketVersioningEnabled']));
  });

  test('GIVEN a property CloudFormation does not know THEN the built-in template validation fails synthesis', () => {
    const rules = findingsOf((stack) => new CfnResource(stack, 'Odd', { type: 'AWS::S3::Bucket', properties: { NotAProperty: 1 } }));
    expect(rules.join(' ')).toMatch(/F3002/);
  });

  test('GIVEN the library\'s data bucket and key THEN zero findings', () => {
    expect(findingsOf((stack) => new DataBucket(stack, 'Features', { encryptionKey: new EncryptionKey(stack, 'Key').key }))).toEqual([]);
  });
});
