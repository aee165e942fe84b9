import { Duration, Stack, App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DataBucket, EncryptionKey } from '../../constructs/aws';

function stack(): Stack {
  return new Stack(new App(), 'Platform', { env: { region: 'eu-west-1', account: '123456789012' } });
}

describe('DataBucket', () => {
  test('GIVEN defaults THEN the bucket is KMS-encrypted with its own key, versioned, private and retained', () => {
    const s = stack();
    new DataBucket(s, 'Features');
    const template = Template.fromStack(s);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: Match.stringLikeRegexp('^access-logs/') },
      }),
    });
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: 30 }) });
  });

  test('GIVEN defaults THEN the bucket policy denies requests without TLS', () => {
    const s = stack();
    new DataBucket(s, 'Features');
    Template.fromStack(s).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('GIVEN defaults THEN S3 log delivery is allowed by bucket policy scoped to the source bucket', () => {
    const s = stack();
    new DataBucket(s, 'Features');
    Template.fromStack(s).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })]),
      },
    });
  });

  test('GIVEN a key WHEN passed THEN no new key is created', () => {
    const s = stack();
    const key = new EncryptionKey(s, 'Shared').key;
    const bucket = new DataBucket(s, 'Features', { encryptionKey: key });
    expect(bucket.encryptionKey).toBe(key);
    Template.fromStack(s).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('GIVEN a grantee WHEN granted read THEN it may read objects and decrypt with the key', () => {
    const s = stack();
    const bucket = new DataBucket(s, 'Features');
    const role = new iam.Role(s, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    bucket.grantRead(role);
    const statements = Template.fromStack(s).findResources('AWS::IAM::Policy');
    const actions = Object.values(statements).flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 'kms:Decrypt']));
    expect(actions).not.toContain('*');
  });

  test.each([
    ['accessLogRetention', { accessLogRetention: Duration.hours(5) }, 'invalid accessLogRetention "5 hours"'],
    ['noncurrentVersionRetention', { noncurrentVersionRetention: Duration.days(0) }, 'invalid noncurrentVersionRetention "0 days"'],
  ])('GIVEN a bad %s THEN MlPlatformError naming it', (_, props, message) => {
    expect(() => new DataBucket(stack(), 'Features', props)).toThrow(`Platform/Features: ${message}. Allowed: a whole number of days, at least 1`);
  });

  test('GIVEN an access log bucket and a retention THEN both are named as conflicting', () => {
    const s = stack();
    const logs = new DataBucket(s, 'Logs').bucket;
    expect(() => new DataBucket(s, 'Features', { accessLogsBucket: logs, accessLogRetention: Duration.days(30) }))
      .toThrow(/Platform\/Features: invalid accessLogRetention "30 days". Allowed: only when this construct creates the access log bucket/);
  });

  test('GIVEN an imported key THEN the bucket uses it', () => {
    const s = stack();
    const key = kms.Key.fromKeyArn(s, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    new DataBucket(s, 'Features', { encryptionKey: key });
    Template.fromStack(s).resourceCountIs('AWS::KMS::Key', 0);
  });
});
