import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { ServiceCallContract } from '../../lib/aws';
import { contractViolations, trustViolations } from '../support/service-contracts';

const GUARDRAILS: ServiceCallContract = {
  call: 'sagemaker:UpdateEndpoint', caller: 'the execution role', callerActions: ['cloudwatch:DescribeAlarms'], source: 'https://example.org/guardrails',
};

const TOPIC_CONTRACT: ServiceCallContract = {
  call: 'alarm → sns:Publish',
  caller: 'CloudWatch',
  callerActions: [],
  resourcePolicy: [
    { resource: 'topic', principal: 'cloudwatch.amazonaws.com', actions: ['sns:Publish'], conditionKeys: ['aws:SourceArn'], source: 'https://example.org/topic' },
    { resource: 'key', principal: 'events.amazonaws.com', actions: ['kms:Decrypt'], unsupportedConditionKeys: ['aws:SourceArn'], source: 'https://example.org/key' },
  ],
  source: 'https://example.org/topic',
};

function roleWith(statement: iam.PolicyStatement) {
  const stack = new Stack(new App(), 'S');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  role.addToPolicy(statement);
  return { role, template: Template.fromStack(stack) };
}

describe('contract checks', () => {
  test('GIVEN a role without the action THEN the check names the call, the role, the action and the page', () => {
    const { role, template } = roleWith(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/k'] }));
    expect(contractViolations(template, GUARDRAILS, { role })).toEqual(['sagemaker:UpdateEndpoint: Role1ABCC5F0 does not allow cloudwatch:DescribeAlarms (https://example.org/guardrails)']);
  });

  test('GIVEN the action only on "*" THEN the check reports it unscoped', () => {
    const { role, template } = roleWith(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }));
    expect(contractViolations(template, GUARDRAILS, { role }))
      .toEqual(['sagemaker:UpdateEndpoint: Role1ABCC5F0 allows cloudwatch:DescribeAlarms only on "*", not scoped to the resources of the call']);
  });

  test('GIVEN a service wildcard action THEN the check reports it', () => {
    const { role, template } = roleWith(new iam.PolicyStatement({ actions: ['cloudwatch:*'], resources: ['arn:aws:cloudwatch:eu-west-1:1:alarm:a'] }));
    expect(contractViolations(template, GUARDRAILS, { role })).toEqual(['Role1ABCC5F0: allows the wildcard action cloudwatch:*']);
  });

  test('GIVEN a topic policy without the condition key and a key policy with an unsupported one THEN both are reported', () => {
    const stack = new Stack(new App(), 'S');
    const key = new kms.Key(stack, 'Key');
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
    topic.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [topic.topicArn] }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['kms:Decrypt'], resources: ['*'], conditions: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:*' } },
    }));
    expect(contractViolations(Template.fromStack(stack), TOPIC_CONTRACT, { topic, key })).toEqual([
      'alarm → sns:Publish: the topic policy of TopicBFC7AF6E allows cloudwatch.amazonaws.com sns:Publish without the condition key aws:SourceArn',
      'alarm → sns:Publish: the key policy of Key961B73FD allows events.amazonaws.com kms:Decrypt only with the condition key aws:SourceArn, '
      + 'which the service does not set on this call (https://example.org/key)',
    ]);
  });

  test('GIVEN a trust policy without source conditions THEN each missing key is reported', () => {
    const { role, template } = roleWith(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/k'] }));
    expect(trustViolations(template, role, 'sagemaker.amazonaws.com', ['aws:SourceAccount', 'aws:SourceArn'])).toEqual([
      'Role1ABCC5F0: the trust statement for sagemaker.amazonaws.com lacks the condition key aws:SourceAccount',
      'Role1ABCC5F0: the trust statement for sagemaker.amazonaws.com lacks the condition key aws:SourceArn',
    ]);
  });
});
