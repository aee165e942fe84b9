import { Annotations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CLOUDWATCH_ALARM_ACTIONS_TO_SNS } from './contracts/cloudwatch-alarm-actions';
import { EVENTBRIDGE_TO_SNS } from './contracts/eventbridge-to-sns';
import type { ServiceCallContract } from './service-contracts';
import { type SourceConditionKey, sourceConditions, TRUSTED_SERVICES, type TrustedServiceName } from './service-principals';
import { MlPlatformError } from '../core';

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

/** A service that publishes to the owner's topic, and the contract that says what its publishing needs. */
export interface TopicPublisher {
  /** The service, as a row of `TRUSTED_SERVICES`. */
  readonly service: TrustedServiceName;
  /** The call's contract: its `topic` and `key` resource-policy rows for the service's principal are added. */
  readonly contract: ServiceCallContract;
  /**
   * A narrower `aws:SourceArn` than every resource of the kind in this account and region.
   * @default - `TRUSTED_SERVICES[service].sourceArn` in the stack's account and region
   */
  readonly sourceArn?: string;
}

/**
 * An SNS topic that tells a model's owner about alarms: encrypted with a customer-managed key and TLS-only.
 * Subscribe people or a paging tool to `topic`.
 *
 * A topic policy replaces SNS's default policy, so every service that publishes must be admitted by name: the topic
 * admits CloudWatch alarm actions and EventBridge rules from this account (and region) from the start, and
 * `admitPublisher` admits another service from the row of its contract.
 */
export class OwnerNotifications extends Construct {
  /** The topic alarms publish to. */
  public readonly topic: sns.Topic;
  /** The key that encrypts the topic. */
  public readonly encryptionKey: kms.IKey;
  private readonly admitted = new Set<string>();

  public constructor(scope: Construct, id: string, props: OwnerNotificationsProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.topic = new sns.Topic(this, 'Resource', {
      masterKey: props.encryptionKey,
      displayName: props.displayName,
      enforceSSL: true,
    });
    // Alarm actions (every gate and failure alarm of the library) and EventBridge rules (job state changes) publish here.
    this.admitPublisher({ service: 'cloudWatchAlarms', contract: CLOUDWATCH_ALARM_ACTIONS_TO_SNS });
    this.admitPublisher({ service: 'eventBridge', contract: EVENTBRIDGE_TO_SNS });
  }

  /**
   * Adds the topic-policy and key-policy statements the publisher's contract lists for its service principal, each
   * with the confused-deputy condition keys the row names (and none the row marks unsupported). Admitting the same
   * contract twice adds nothing.
   */
  public admitPublisher(publisher: TopicPublisher): void {
    const principal = TRUSTED_SERVICES[publisher.service].principal;
    const rows = (publisher.contract.resourcePolicy ?? []).filter((row) => row.principal === principal && (row.resource === 'topic' || row.resource === 'key'));
    if (rows.length === 0) {
      throw new MlPlatformError({
        scope: this,
        prop: 'publisher.contract',
        value: publisher.contract.call,
        allowed: `a contract with a topic or key resource-policy row for ${principal}`,
        fix: `add the rows ${principal} needs (with their documentation page) to the contract, or pick the service the contract is for`,
      });
    }
    const admission = `${publisher.service} ${publisher.contract.call}`;
    if (this.admitted.has(admission)) {
      return;
    }
    this.admitted.add(admission);
    for (const row of rows) {
      const keys = (row.conditionKeys ?? []).filter((key): key is SourceConditionKey => key === 'aws:SourceAccount' || key === 'aws:SourceArn');
      const statement = new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(principal)],
        actions: [...row.actions],
        resources: [row.resource === 'topic' ? this.topic.topicArn : '*'],
        // A key is used by SNS on the publisher's behalf, a call no guide describes the request context of: its
        // conditions hold where the keys are set.
        conditions: keys.length > 0 ? sourceConditions(this, publisher.service, {
          keys, sourceArn: publisher.sourceArn, enforcement: row.resource === 'key' ? 'whenSet' : undefined,
        }) : undefined,
      });
      if (row.resource === 'topic') {
        this.topic.addToResourcePolicy(statement);
      } else if (!this.encryptionKey.addToResourcePolicy(statement, true).statementAdded) {
        Annotations.of(this).addWarningV2('ml-platform-constructs:importedTopicKey',
          `The key of ${this.node.path} is imported, so its policy cannot be changed here: add a statement letting ${principal} use it `
          + `(${row.actions.join(', ')}; ${row.source}), or ${principal} cannot publish to the topic.`);
      }
    }
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
