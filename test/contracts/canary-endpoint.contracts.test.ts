import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CanaryEndpoint, type CanaryEndpointProps, EncryptionKey, OwnerNotifications } from '../../constructs/aws';
import {
  CLOUDWATCH_ALARM_ACTIONS_TO_SNS, SAGEMAKER_DEPLOYMENT_GUARDRAILS, SAGEMAKER_ENDPOINT_CONTRACTS, SAGEMAKER_ENDPOINT_VOLUME_KEY,
  SAGEMAKER_VARIANT_AUTOSCALING, TRUSTED_SERVICES,
} from '../../lib/aws';
import { IMAGE, MODEL } from '../support/canary-fixtures';
import { contractViolations, grantingStatements, trustViolations } from '../support/service-contracts';

function endpointStack(overrides: Partial<CanaryEndpointProps> = {}) {
  const stack = new Stack(new App(), 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  const endpoint = new CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, endpointName: 'fraud', ...overrides });
  return { stack, endpoint, notifications, template: () => Template.fromStack(stack) };
}

const alarmArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:eu-west-1:123456789012:alarm:${name}`]] });

describe('CanaryEndpoint runtime contracts', () => {
  const rows = SAGEMAKER_ENDPOINT_CONTRACTS.map((contract) => [contract.call, contract] as const);
  test.each(rows)('GIVEN defaults THEN the execution role honours %s', (_, contract) => {
    const { endpoint, template } = endpointStack();
    expect(contractViolations(template(), contract, { role: endpoint.execution.role })).toEqual([]);
  });

  test('GIVEN defaults THEN the gates can reach the owner: the topic and key admit CloudWatch alarm actions', () => {
    const { notifications, template } = endpointStack();
    const parties = { topic: notifications.topic, key: notifications.encryptionKey };
    expect(contractViolations(template(), CLOUDWATCH_ALARM_ACTIONS_TO_SNS, parties)).toEqual([]);
  });

  test('GIVEN defaults THEN the volume key leaves kms:CreateGrant to the deploying identity\'s IAM policy', () => {
    const { endpoint, template } = endpointStack();
    expect(contractViolations(template(), SAGEMAKER_ENDPOINT_VOLUME_KEY, { key: endpoint.encryptionKey })).toEqual([]);
  });

  test('GIVEN defaults THEN Application Auto Scaling acts with its SageMaker service-linked role', () => {
    const { endpoint, template } = endpointStack();
    expect(contractViolations(template(), SAGEMAKER_VARIANT_AUTOSCALING, { serviceLinkedRoleUser: endpoint.scalableTarget })).toEqual([]);
  });

  test('GIVEN defaults THEN the execution role may describe exactly the two gate alarms', () => {
    const { endpoint, template } = endpointStack();
    expect(grantingStatements(template(), endpoint.execution.role, SAGEMAKER_DEPLOYMENT_GUARDRAILS.callerActions[0])).toEqual([{
      Action: 'cloudwatch:DescribeAlarms',
      Effect: 'Allow',
      Resource: [alarmArn('fraud-5xx-rate-gate'), alarmArn('fraud-p99-latency-gate')],
    }]);
  });

  test('GIVEN a rollback alarm of the user THEN the execution role may describe it too', () => {
    const stack = new Stack(new App(), 'Alarms', { env: { region: 'eu-west-1', account: '123456789012' } });
    const extra = cloudwatch.Alarm.fromAlarmArn(stack, 'Extra', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fraud-business-kpi');
    const { endpoint, template } = endpointStack({ rollbackAlarms: [extra] });
    expect(grantingStatements(template(), endpoint.execution.role, 'cloudwatch:DescribeAlarms')[0].Resource)
      .toEqual([alarmArn('fraud-5xx-rate-gate'), alarmArn('fraud-p99-latency-gate'), 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fraud-business-kpi']);
  });

  test('GIVEN defaults THEN the execution role trusts SageMaker only for resources of this account and region', () => {
    const { endpoint, template } = endpointStack();
    expect(trustViolations(template(), endpoint.execution.role, TRUSTED_SERVICES.sagemaker.principal, TRUSTED_SERVICES.sagemaker.keys)).toEqual([]);
  });
});
