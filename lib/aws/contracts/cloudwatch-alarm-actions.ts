import type { ServiceCallContract } from '../service-contracts';

/**
 * An alarm action publishing to an encrypted SNS topic. CloudWatch publishes as `cloudwatch.amazonaws.com`: the topic
 * policy (which replaces SNS's default policy) must admit it, and the key policy must let it use the topic's key.
 * CloudWatch sets `aws:SourceArn` (the alarm) and `aws:SourceAccount` on both calls.
 */
export const CLOUDWATCH_ALARM_ACTIONS_TO_SNS: ServiceCallContract = {
  call: 'cloudwatch:PutMetricAlarm AlarmActions/OKActions → sns:Publish',
  caller: 'CloudWatch, as its service principal',
  callerActions: [],
  resourcePolicy: [
    {
      resource: 'topic',
      principal: 'cloudwatch.amazonaws.com',
      actions: ['sns:Publish'],
      conditionKeys: ['aws:SourceAccount', 'aws:SourceArn'],
      // "Allow CloudWatch alarms to publish to a topic" and "aws:SourceAccount versus aws:SourceOwner".
      source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html',
    },
    {
      resource: 'key',
      principal: 'cloudwatch.amazonaws.com',
      // The page shows kms:GenerateDataKey*; SNS asks for GenerateDataKey and Decrypt (sns-key-management#send-to-encrypted-topic).
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      conditionKeys: ['aws:SourceAccount', 'aws:SourceArn'],
      source: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
    },
  ],
  source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html',
};
