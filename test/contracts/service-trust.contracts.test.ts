import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BatchScoringPipeline, CanaryEndpoint, EncryptionKey, OwnerNotifications } from '../../constructs/aws';
import { TRUSTED_SERVICES, type TrustedService } from '../../lib/aws';
import { IMAGE, MODEL } from '../support/canary-fixtures';
import { trustViolations } from '../support/service-contracts';

/** Every role of `template` that a service assumes, with the service principals its trust policy names. */
function serviceRoles(template: Template): { id: string; services: string[] }[] {
  return Object.entries(template.findResources('AWS::IAM::Role')).map(([id, role]: [string, any]) => ({
    id,
    services: role.Properties.AssumeRolePolicyDocument.Statement.flatMap((statement: any) => [statement.Principal?.Service ?? []].flat()),
  })).filter((role) => role.services.length > 0);
}

function rowOf(principal: string): TrustedService | undefined {
  return Object.values(TRUSTED_SERVICES).find((row: TrustedService) => row.principal === principal);
}

function stackOf(build: (stack: Stack, notifications: OwnerNotifications) => void): Template {
  const stack = new Stack(new App(), 'Roles', { env: { region: 'eu-west-1', account: '123456789012' } });
  build(stack, new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key }));
  return Template.fromStack(stack);
}

const CONSTRUCTS: [string, (stack: Stack, notifications: OwnerNotifications) => void][] = [
  ['CanaryEndpoint', (stack, notifications) => new CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications })],
  ['BatchScoringPipeline', (stack, notifications) => new BatchScoringPipeline(stack, 'Nightly', {
    model: MODEL,
    image: IMAGE,
    schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
    inputUri: 's3://fraud-data-eu/transactions/',
    outputUri: 's3://fraud-data-eu/scores/',
    notifications,
  })],
];

describe('Service-role trust (confused-deputy prevention)', () => {
  test.each(CONSTRUCTS)('GIVEN a %s THEN every service its roles trust is a row of TRUSTED_SERVICES', (_name, build) => {
    const services = serviceRoles(stackOf(build)).flatMap((role) => role.services);
    expect(services.filter((service) => !rowOf(service))).toEqual([]);
  });

  test.each(CONSTRUCTS)('GIVEN a %s THEN every trust statement carries the condition keys its service sets', (_name, build) => {
    const template = stackOf(build);
    const violations = serviceRoles(template).flatMap((role) => role.services
      .filter((service) => rowOf(service))
      .flatMap((service) => trustViolations(template, role.id, service, rowOf(service)!.keys)));
    expect(violations).toEqual([]);
  });

  test('GIVEN a BatchScoringPipeline THEN its roles trust Step Functions, EventBridge Scheduler, SageMaker and Lambda', () => {
    const template = stackOf(CONSTRUCTS[1][1]);
    expect([...new Set(serviceRoles(template).flatMap((role) => role.services))].sort())
      .toEqual(['lambda.amazonaws.com', 'sagemaker.amazonaws.com', 'scheduler.amazonaws.com', 'states.amazonaws.com']);
  });
});
