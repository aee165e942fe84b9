import type { ServiceCallContract } from '../service-contracts';

/**
 * An EventBridge rule whose target is an encrypted SNS topic. EventBridge publishes as `events.amazonaws.com` through
 * the topic policy (no `RoleArn` on the target: the EventBridge guide warns that a role breaks delivery to
 * KMS-encrypted topics). The key policy must admit it WITHOUT source conditions: the SNS guide states that
 * `aws:SourceAccount` and `aws:SourceArn` are not supported in a key policy for EventBridge-to-encrypted-topic delivery.
 */
export const EVENTBRIDGE_TO_SNS: ServiceCallContract = {
  call: 'events:PutTargets (SNS topic) → sns:Publish',
  caller: 'EventBridge, as its service principal',
  callerActions: [],
  resourcePolicy: [
    {
      resource: 'topic',
      principal: 'events.amazonaws.com',
      actions: ['sns:Publish'],
      conditionKeys: ['aws:SourceAccount'],
      source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html',
    },
    {
      resource: 'key',
      principal: 'events.amazonaws.com',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      unsupportedConditionKeys: ['aws:SourceAccount', 'aws:SourceArn'],
      source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
    },
  ],
  source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions',
};
