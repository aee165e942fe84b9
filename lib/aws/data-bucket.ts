import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MlPlatformError } from '../core';
import { EncryptionKey } from './encryption-key';
import { acknowledge } from './nag-acknowledgements';
import { StackSbom } from './stack-sbom';

/** Props for `DataBucket`. */
export interface DataBucketProps {
  /**
   * The customer-managed key for the bucket and its access logs.
   * @default - a new `EncryptionKey` (rotation on, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where server access logs go.
   * @default - a new bucket beside it, encrypted with the same key, logs kept for `accessLogRetention`
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * How long server access logs are kept in the bucket this construct creates for them.
   * @default Duration.days(365) - a year of access history, the retention NIST 800-53 AU-11 examples use
   */
  readonly accessLogRetention?: Duration;
  /**
   * How long non-current object versions are kept before they expire.
   * @default Duration.days(90) - long enough to undo a bad overwrite found in a quarterly review
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * What the bucket holds, recorded in the SBOM as a `data` component.
   * @default - the construct's id
   */
  readonly datasetName?: string;
}

/**
 * A bucket for ML data: encrypted with a customer-managed key, versioned, TLS-only, public access blocked,
 * server access logging on, and retained when its stack is deleted.
 */
export class DataBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts the bucket (and the access log bucket this construct creates). */
  public readonly encryptionKey: kms.IKey;
  /** Where the bucket's server access logs go. */
  public readonly accessLogsBucket: s3.IBucket;

  public constructor(scope: Construct, id: string, props: DataBucketProps = {}) {
    super(scope, id);
    const retention = validateDays(this, 'accessLogRetention', props.accessLogRetention ?? Duration.days(365));
    const noncurrent = validateDays(this, 'noncurrentVersionRetention', props.noncurrentVersionRetention ?? Duration.days(90));
    if (props.accessLogsBucket && props.accessLogRetention) {
      throw new MlPlatformError({
        scope: this,
        prop: 'accessLogRetention',
        value: props.accessLogRetention.toHumanString(),
        allowed: 'only when this construct creates the access log bucket (accessLogsBucket unset)',
        fix: 'set the retention on your own access log bucket, or remove accessLogsBucket',
      });
    }
    this.encryptionKey = props.encryptionKey ?? new EncryptionKey(this, 'Key', { description: `Data key for ${this.node.path}` }).key;

    if (props.accessLogsBucket) {
      this.accessLogsBucket = props.accessLogsBucket;
    } else {
      const logs = new s3.Bucket(this, 'AccessLogs', {
        ...secureBucketDefaults(this.encryptionKey),
        lifecycleRules: [{ expiration: retention, noncurrentVersionExpiration: Duration.days(1) }],
      });
      acknowledge(logs, 'bucketReplication');
      acknowledge(logs, 'accessLogBucketNotLogged');
      acknowledge(logs, 'bucketWithoutEventNotifications');
      acknowledge(logs, 'bucketWithoutObjectLock');
      this.accessLogsBucket = logs;
    }

    this.bucket = new s3.Bucket(this, 'Resource', {
      ...secureBucketDefaults(this.encryptionKey),
      lifecycleRules: [{ noncurrentVersionExpiration: noncurrent, abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    acknowledge(this.bucket, 'bucketReplication');
    acknowledge(this.bucket, 'bucketWithoutEventNotifications');
    acknowledge(this.bucket, 'bucketWithoutObjectLock');
    this.logAccessTo(this.accessLogsBucket, `access-logs/${this.node.addr}/`);

    StackSbom.of(this).addDataset({ name: props.datasetName ?? id, description: `S3 bucket ${this.node.path}` });
  }

  /**
   * Server access logging through a bucket policy for logging.s3.amazonaws.com, the method AWS recommends
   * over the LogDeliveryWrite ACL (which needs ACLs enabled on the log bucket), whatever the app's feature flags.
   */
  private logAccessTo(logs: s3.IBucket, prefix: string): void {
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.loggingConfiguration = { destinationBucketName: logs.bucketName, logFilePrefix: prefix };
    logs.addToResourcePolicy(new iam.PolicyStatement({
      sid: `S3ServerAccessLogs${this.node.addr.slice(0, 8)}`,
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logs.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
  }

  /** Lets the grantee read objects (and decrypt them). */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantRead(grantee, objectsKeyPattern);
  }

  /** Lets the grantee write objects (and encrypt them). */
  public grantWrite(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantWrite(grantee, objectsKeyPattern);
  }
}

/** The settings every bucket of this library has; a construct adds only what is its own. */
export function secureBucketDefaults(encryptionKey: kms.IKey): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey,
    // S3 Bucket Keys cut KMS requests (and cost) by up to 99% for SSE-KMS buckets.
    bucketKeyEnabled: true,
    versioned: true,
    enforceSSL: true,
    // TLS 1.2 is the lowest version NIST SP 800-52r2 allows.
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    // Data outlives the stack: `cdk destroy` must never delete training data or results.
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

function validateDays(scope: Construct, prop: string, duration: Duration): Duration {
  const days = duration.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new MlPlatformError({
      scope,
      prop,
      value: duration.toHumanString(),
      allowed: 'a whole number of days, at least 1 (S3 lifecycle rules count in days)',
      fix: 'use Duration.days(n) with n >= 1',
    });
  }
  return duration;
}
