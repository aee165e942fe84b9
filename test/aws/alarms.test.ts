import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { EncryptionKey, gateAlarm, OwnerNotifications } from '../../constructs/aws';

const metric = new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName: 'Invocation5XXErrors' });

describe('gateAlarm', () => {
  test('GIVEN defaults THEN two of three one-minute periods breach and missing data does not', () => {
    const stack = new Stack(new App(), 'S');
    gateAlarm(stack, 'Errors', { metric, threshold: 1, description: 'canary 5xx' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching', ComparisonOperator: 'GreaterThanThreshold', AlarmDescription: 'canary 5xx',
    });
  });

  test('GIVEN datapointsToAlarm above evaluationPeriods THEN MlPlatformError', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => gateAlarm(stack, 'Errors', { metric, threshold: 1, description: 'x', evaluationPeriods: 2, datapointsToAlarm: 3 }))
      .toThrow('S: invalid datapointsToAlarm 3. Allowed: a whole number from 1 to evaluationPeriods (2). Fix: lower datapointsToAlarm or raise evaluationPeriods');
  });
});

describe('OwnerNotifications', () => {
  test('GIVEN an alarm WHEN notified THEN ALARM and OK go to a KMS-encrypted topic', () => {
    const stack = new Stack(new App(), 'S');
    const key = new EncryptionKey(stack, 'Key').key;
    const owner = new OwnerNotifications(stack, 'Owner', { encryptionKey: key });
    owner.notifyOn(gateAlarm(stack, 'Errors', { metric, threshold: 1, description: 'x' }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('Owner') }], OKActions: [{ Ref: Match.stringLikeRegexp('Owner') }] });
  });
});
