import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { sourceConditions, TRUSTED_SERVICES, trustedServicePrincipal } from '../../lib/aws';

const stack = () => new Stack(new App(), 'S', { env: { region: 'eu-west-1', account: '123456789012' } });
const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

describe('TRUSTED_SERVICES', () => {
  test('GIVEN every row THEN its source is an AWS documentation page', () => {
    expect(Object.values(TRUSTED_SERVICES).filter((row) => !row.source.startsWith('https://docs.aws.amazon.com/'))).toEqual([]);
  });

  test('GIVEN Step Functions THEN the conditions limit it to state machines of the stack\'s account and region', () => {
    const scope = stack();
    expect(scope.resolve(sourceConditions(scope, 'stepFunctions'))).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': arn(':states:eu-west-1:123456789012:stateMachine:*') },
    });
  });

  test('GIVEN only aws:SourceAccount asked for THEN no aws:SourceArn condition', () => {
    const scope = stack();
    expect(scope.resolve(sourceConditions(scope, 'stepFunctions', { keys: ['aws:SourceAccount'] }))).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });

  test('GIVEN a narrower source ARN THEN it replaces the service\'s pattern', () => {
    const scope = stack();
    const group = 'arn:aws:scheduler:eu-west-1:123456789012:schedule-group/nightly';
    expect(sourceConditions(scope, 'scheduler', { sourceArn: group }).ArnLike).toEqual({ 'aws:SourceArn': group });
  });

  test('GIVEN a service whose guide does not show the keys for our calls THEN the conditions hold where the keys are set', () => {
    const scope = stack();
    expect(Object.keys(sourceConditions(scope, 'lambda'))).toEqual(['StringEqualsIfExists', 'ArnLikeIfExists']);
  });

  test('GIVEN a role trusting SageMaker through the helper THEN its trust statement carries both keys, enforced where SageMaker sets them', () => {
    const scope = stack();
    new iam.Role(scope, 'Role', { assumedBy: trustedServicePrincipal(scope, 'sagemaker') });
    Template.fromStack(scope).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'sagemaker.amazonaws.com' },
          Condition: {
            StringEqualsIfExists: { 'aws:SourceAccount': '123456789012' },
            ArnLikeIfExists: { 'aws:SourceArn': arn(':sagemaker:eu-west-1:123456789012:*') },
          },
        }],
      },
    });
  });
});
