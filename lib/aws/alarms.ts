import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MlPlatformError } from '../core';

/** Props for `gateAlarm`. */
export interface GateAlarmProps {
  /** The metric (or metric math expression) the gate watches. */
  readonly metric: cloudwatch.IMetric;
  /** The value beyond which the gate trips. */
  readonly threshold: number;
  /** What a tripped gate means and what happens next; shown on the alarm and in notifications. */
  readonly description: string;
  /**
   * How the metric is compared with the threshold.
   * @default GREATER_THAN_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * How many periods are evaluated.
   * @default 3 - three one-minute periods: a blip does not roll back, a sustained fault does within minutes
   */
  readonly evaluationPeriods?: number;
  /**
   * How many of those periods must breach.
   * @default 2 - two of three, so one noisy minute neither trips nor hides a fault
   */
  readonly datapointsToAlarm?: number;
}

/**
 * An alarm used as a rollback or paging gate. Missing data does not breach: an endpoint or job without
 * traffic is not failing, and a gate that trips on silence would roll back every quiet deployment.
 */
export function gateAlarm(scope: Construct, id: string, props: GateAlarmProps): cloudwatch.Alarm {
  const evaluationPeriods = props.evaluationPeriods ?? 3;
  const datapointsToAlarm = props.datapointsToAlarm ?? Math.min(2, evaluationPeriods);
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw new MlPlatformError({
      scope,
      prop: 'evaluationPeriods',
      value: evaluationPeriods,
      allowed: 'a whole number of at least 1',
      fix: 'use e.g. 3',
    });
  }
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw new MlPlatformError({
      scope,
      prop: 'datapointsToAlarm',
      value: datapointsToAlarm,
      allowed: `a whole number from 1 to evaluationPeriods (${evaluationPeriods})`,
      fix: 'lower datapointsToAlarm or raise evaluationPeriods',
    });
  }
  return new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    alarmDescription: props.description,
    comparisonOperator: props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods,
    datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** Props for `OwnerNotifications`. */
export interface OwnerNotificationsProps {
  /** The customer-managed key that encrypts the topic. */
  readonly encryptionKey: kms.IKey;
  /**
   * A display name for the topic.
   * @default - none
   */
  readonly displayName?: string;
}

/**
 * An SNS topic that tells a model's owner about alarms: encrypted with a customer-managed key and
 * TLS-only. Subscribe people or a paging tool to `topic`.
 */
export class OwnerNotifications extends Construct {
  /** The topic alarms publish to. */
  public readonly topic: sns.Topic;
  /** The key that encrypts the topic. */
  public readonly encryptionKey: kms.IKey;

  public constructor(scope: Construct, id: string, props: OwnerNotificationsProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.topic = new sns.Topic(this, 'Resource', {
      masterKey: props.encryptionKey,
      displayName: props.displayName,
      enforceSSL: true,
    });
    // CloudWatch publishes alarm notifications and needs the key to encrypt them.
    props.encryptionKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  /**
   * Lets the grantee publish to the topic, including the key actions an encrypted topic needs (named one by one:
   * the topic's own grant adds `kms:GenerateDataKey*`).
   */
  public grantPublish(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
    this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  /** Sends the alarm's ALARM and OK transitions to the topic. */
  public notifyOn(...alarms: cloudwatch.Alarm[]): void {
    for (const alarm of alarms) {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
    }
  }
}
