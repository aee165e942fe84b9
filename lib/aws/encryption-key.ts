import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props for `EncryptionKey`. */
export interface EncryptionKeyProps {
  /**
   * What the key protects, shown in the KMS console.
   * @default "ml-platform-constructs data key"
   */
  readonly description?: string;
  /**
   * An alias for the key, e.g. `alias/ml-platform/data`.
   * @default - no alias
   */
  readonly alias?: string;
  /**
   * Whether S3 may use the key to write server access logs into a bucket encrypted with it.
   * @default true
   */
  readonly allowS3ServerAccessLogs?: boolean;
}

/**
 * A customer-managed KMS key for data at rest: rotation on and retained when its stack is deleted,
 * so that data encrypted with it stays readable.
 */
export class EncryptionKey extends Construct {
  /** The key. */
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: EncryptionKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Resource', {
      description: props.description ?? 'ml-platform-constructs data key',
      alias: props.alias,
      // Yearly automatic rotation: required by NIST 800-53 SC-12 and cdk-nag's KMSBackingKeyRotationEnabled.
      enableKeyRotation: true,
      // A deleted key makes every object it encrypted unreadable: keys outlive their stack.
      removalPolicy: RemovalPolicy.RETAIN,
      // The longest waiting period KMS allows, to recover from a mistaken deletion.
      pendingWindow: Duration.days(30),
    });
    // Grants only for AWS resources (AWS Control Tower CT.KMS.PR.3): services that use the key for a job or a volume
    // create grants on it (kms:GrantIsForAWSResource); no principal may hand the key's use to another principal.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyGrantsNotForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
    if (props.allowS3ServerAccessLogs ?? true) {
      // S3 writes server access logs as logging.s3.amazonaws.com and needs the key for KMS-encrypted log buckets.
      this.key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowS3ServerAccessLogDelivery',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.key.stack.account } },
      }));
    }
  }
}
