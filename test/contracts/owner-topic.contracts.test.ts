import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CLOUDWATCH_ALARM_ACTIONS_TO_SNS, EncryptionKey, EVENTBRIDGE_TO_SNS, OwnerNotifications, type ServiceCallContract,
} from '../../lib/aws';
import { contractViolations, logicalIdOf } from '../support/service-contracts';

function ownerStack() {
  const stack = new Stack(new App(), 'Owner', { env: { region: 'eu-west-1', account: '123456789012' } });
  const owner = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  return { stack, owner, template: () => Template.fromStack(stack) };
}

function topicStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

function keyStatements(template: Template, principal: string): any[] {
  return Object.values(template.findResources('AWS::KMS::Key'))
    .flatMap((key: any) => key.Properties.KeyPolicy.Statement)
    .filter((statement: any) => statement.Principal?.Service === principal);
}

const ALARM_SOURCE = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*']] };

describe('OwnerNotifications runtime contracts', () => {
  test.each([CLOUDWATCH_ALARM_ACTIONS_TO_SNS, EVENTBRIDGE_TO_SNS])('GIVEN the owner topic THEN $call holds every documented statement', (contract) => {
    const { owner, template } = ownerStack();
    expect(contractViolations(template(), contract, { topic: owner.topic, key: owner.encryptionKey })).toEqual([]);
  });

  test('GIVEN the owner topic THEN CloudWatch may publish only for alarms of this account and region', () => {
    const { template } = ownerStack();
    const statement = topicStatements(template()).find((candidate) => candidate.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(statement.Action).toBe('sns:Publish');
    expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': ALARM_SOURCE } });
  });

  test('GIVEN the owner topic THEN the key lets CloudWatch encrypt, for alarms of this account and region wherever SNS passes the keys on', () => {
    const { template } = ownerStack();
    expect(keyStatements(template(), 'cloudwatch.amazonaws.com')).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '123456789012' }, ArnLikeIfExists: { 'aws:SourceArn': ALARM_SOURCE } },
    }]);
  });

  test('GIVEN the owner topic THEN the key lets EventBridge encrypt without source conditions, which its KMS calls do not carry', () => {
    const { template } = ownerStack();
    expect(keyStatements(template(), 'events.amazonaws.com')).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
    }]);
  });

  test('GIVEN the owner topic THEN EventBridge may publish only for rules of this account, wherever it sets the key', () => {
    const { template } = ownerStack();
    const statement = topicStatements(template()).find((candidate) => candidate.Principal?.Service === 'events.amazonaws.com');
    expect(statement.Condition).toEqual({ StringEqualsIfExists: { 'aws:SourceAccount': '123456789012' } });
  });

  test('GIVEN the owner topic THEN publishing without TLS is still denied', () => {
    const { stack, owner, template } = ownerStack();
    expect(topicStatements(template()).filter((statement) => statement.Effect === 'Deny')).toEqual([{
      Sid: 'AllowPublishThroughSSLOnly',
      Effect: 'Deny',
      Action: 'sns:Publish',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Principal: '*',
      Resource: { Ref: stack.getLogicalId(owner.topic.node.defaultChild as any) },
    }]);
  });

  test('GIVEN a further publishing service WHEN admitted THEN its contract row becomes a topic statement with its source conditions', () => {
    const { owner, template } = ownerStack();
    const contract: ServiceCallContract = {
      call: 'scheduler:CreateSchedule (SNS target)',
      caller: 'EventBridge Scheduler',
      callerActions: [],
      resourcePolicy: [{ resource: 'topic', principal: 'scheduler.amazonaws.com', actions: ['sns:Publish'], conditionKeys: ['aws:SourceAccount'], source: 'https://example.org/doc' }],
      source: 'https://example.org/doc',
    };
    owner.admitPublisher({ service: 'scheduler', contract });
    expect(contractViolations(template(), contract, { topic: owner.topic })).toEqual([]);
  });

  test('GIVEN the same publisher twice THEN one statement', () => {
    const { owner, template } = ownerStack();
    owner.admitPublisher({ service: 'cloudWatchAlarms', contract: CLOUDWATCH_ALARM_ACTIONS_TO_SNS });
    expect(topicStatements(template()).filter((statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com')).toHaveLength(1);
  });

  test('GIVEN a contract without a row for the service WHEN admitted THEN an MlPlatformError names the contract', () => {
    const { owner } = ownerStack();
    expect(() => owner.admitPublisher({ service: 'lambda', contract: CLOUDWATCH_ALARM_ACTIONS_TO_SNS })).toThrow(
      'Owner/Owner: invalid publisher.contract "cloudwatch:PutMetricAlarm AlarmActions/OKActions → sns:Publish". '
      + 'Allowed: a contract with a topic or key resource-policy row for lambda.amazonaws.com. '
      + 'Fix: add the rows lambda.amazonaws.com needs (with their documentation page) to the contract, or pick the service the contract is for');
  });

  test('GIVEN the topic THEN the contract checks find it by the topic construct', () => {
    const { owner, stack } = ownerStack();
    expect(logicalIdOf(owner.topic)).toBe(stack.getLogicalId(owner.topic.node.defaultChild as any));
  });
});
