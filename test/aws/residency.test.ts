import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { applyResidency, DataBucket, EncryptionKey, Residency } from '../../constructs/aws';

function euApp(): App {
  const app = new App();
  applyResidency(app, Residency.EU);
  return app;
}

describe('applyResidency (AWS)', () => {
  test('GIVEN an EU policy WHEN a stack is in us-east-1 THEN synthesis fails naming the stack and region', () => {
    const app = euApp();
    new Stack(app, 'Scoring', { env: { region: 'us-east-1' } });
    expect(() => app.synth()).toThrow(
      'Scoring: invalid env.region of stack Scoring "us-east-1". Allowed: a region of residency policy "eu": '
      + 'eu-central-1, eu-west-1, eu-west-3, eu-south-1, eu-south-2, eu-north-1.',
    );
  });

  test('GIVEN an EU policy WHEN a stack has no region THEN synthesis fails: the region is unresolved', () => {
    const app = euApp();
    new Stack(app, 'Agnostic');
    expect(() => app.synth()).toThrow(/Agnostic: invalid env.region of stack Agnostic "unresolved \(environment-agnostic stack\)"/);
  });

  test('GIVEN an EU policy WHEN a bucket uses SSE-S3 THEN synthesis fails naming the bucket and BucketEncryption', () => {
    const app = euApp();
    const stack = new Stack(app, 'Data', { env: { region: 'eu-west-1' } });
    new s3.Bucket(stack, 'Raw', { encryption: s3.BucketEncryption.S3_MANAGED });
    expect(() => app.synth()).toThrow(/Data\/Raw\/Resource: invalid BucketEncryption "AES256". Allowed: SSE-KMS with a customer-managed key/);
  });

  test('GIVEN an EU policy WHEN a bucket has no encryption setting THEN synthesis fails', () => {
    const app = euApp();
    const stack = new Stack(app, 'Data', { env: { region: 'eu-west-1' } });
    new s3.Bucket(stack, 'Raw');
    expect(() => app.synth()).toThrow(/Data\/Raw\/Resource: invalid BucketEncryption/);
  });

  test('GIVEN an EU policy WHEN a bucket uses the AWS-managed key THEN synthesis fails', () => {
    const app = euApp();
    const stack = new Stack(app, 'Data', { env: { region: 'eu-west-1' } });
    new s3.Bucket(stack, 'Raw', { encryption: s3.BucketEncryption.KMS_MANAGED });
    expect(() => app.synth()).toThrow(/Data\/Raw\/Resource: invalid BucketEncryption.KMSMasterKeyID \(not set\)|Data\/Raw\/Resource: invalid BucketEncryption.KMSMasterKeyID "alias\/aws\/s3"/);
  });

  test('GIVEN an EU policy WHEN topic, queue and log group lack a customer-managed key THEN each is named', () => {
    const app = euApp();
    const stack = new Stack(app, 'Ops', { env: { region: 'eu-west-1' } });
    new sns.Topic(stack, 'Alerts');
    new sqs.Queue(stack, 'Dlq', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    new logs.LogGroup(stack, 'Logs');
    const message = (() => { try { app.synth(); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message).toContain('Ops/Alerts/Resource: invalid KmsMasterKeyId (not set)');
    expect(message).toContain('Ops/Dlq/Resource: invalid KmsMasterKeyId "alias/aws/sqs"');
    expect(message).toContain('Ops/Logs/Resource: invalid KmsKeyId (not set)');
  });

  function replicatingTo(region: string): App {
    const app = euApp();
    const stack = new Stack(app, 'Data', { env: { region: 'eu-west-1', account: '123456789012' } });
    const key = new EncryptionKey(stack, 'Key').key;
    const destination = s3.Bucket.fromBucketAttributes(stack, 'Copy', { bucketArn: `arn:aws:s3:::copy-${region}`, region });
    new s3.Bucket(stack, 'Source', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      versioned: true,
      replicationRules: [{ destination, priority: 1, kmsKey: key }],
    });
    return app;
  }

  test('GIVEN an EU policy WHEN a bucket replicates to a bucket in us-east-1 THEN synthesis fails naming the destination region', () => {
    expect(() => replicatingTo('us-east-1').synth()).toThrow(/Data\/Source\/Resource: invalid ReplicationConfiguration.Rules\[0\].Destination "a bucket in us-east-1"/);
  });

  test('GIVEN an EU policy WHEN a bucket replicates inside the EU THEN synthesis passes', () => {
    expect(() => replicatingTo('eu-central-1').synth()).not.toThrow();
  });

  test('GIVEN a compliant stack WHEN synthesized THEN every taggable resource carries the residency tag', () => {
    const app = euApp();
    const stack = new Stack(app, 'Data', { env: { region: 'eu-west-1' } });
    new DataBucket(stack, 'Features');
    app.synth();
    const template = Template.fromStack(stack);
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.Properties.Tags).toContainEqual({ Key: 'ml-platform/residency', Value: 'eu' });
      }
    }
  });

  test('GIVEN a policy on one stack only WHEN another stack is elsewhere THEN only the governed stack is checked', () => {
    const app = new App();
    const governed = new Stack(app, 'Eu', { env: { region: 'eu-west-1' } });
    applyResidency(governed, Residency.EU);
    new Stack(app, 'Elsewhere', { env: { region: 'us-east-1' } });
    new kms.Key(governed, 'Key', { enableKeyRotation: true });
    expect(() => app.synth()).not.toThrow();
  });
});
