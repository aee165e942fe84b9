import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CanaryEndpoint, type CanaryEndpointProps, EncryptionKey, OwnerNotifications } from '../../constructs/aws';
import { IMAGE, MODEL } from '../support/canary-fixtures';

function endpointStack(overrides: Partial<CanaryEndpointProps> = {}) {
  const stack = new Stack(new App(), 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  const endpoint = new CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, endpointName: 'fraud', ...overrides });
  return { stack, endpoint, template: () => Template.fromStack(stack) };
}

function dimensionsOf(alarm: any): Record<string, unknown>[] {
  const metrics = alarm.Properties.Metrics?.filter((metric: any) => metric.MetricStat)
    .map((metric: any) => metric.MetricStat.Metric) ?? [alarm.Properties];
  return metrics.map((metric: any) => Object.fromEntries(metric.Dimensions.map((dimension: any) => [dimension.Name, dimension.Value])));
}

describe('AWS CanaryEndpoint rollback gates on the new fleet', () => {
  test.each(['fraud-5xx-rate-gate', 'fraud-p99-latency-gate'])('GIVEN defaults THEN %s watches the fleet of the endpoint config being deployed', (name) => {
    const { stack, endpoint, template } = endpointStack();
    const alarm = Object.values(template().findResources('AWS::CloudWatch::Alarm')).find((candidate: any) => candidate.Properties.AlarmName === name);
    const fleet = { EndpointName: 'fraud', VariantName: 'AllTraffic', EndpointConfigName: stack.resolve(endpoint.endpointConfig.attrEndpointConfigName) };
    expect(dimensionsOf(alarm)).toEqual(dimensionsOf(alarm).map(() => fleet));
  });

  test('GIVEN defaults THEN the endpoint names its gates by reference, so it is updated only after they moved to the new config', () => {
    const { stack, endpoint, template } = endpointStack();
    const gates = [endpoint.errorRateAlarm, endpoint.latencyAlarm]
      .map((alarm) => ({ AlarmName: { Ref: stack.getLogicalId(alarm.node.defaultChild as any) } }));
    const properties = template().toJSON().Resources[stack.getLogicalId(endpoint.endpoint)].Properties;
    expect(properties.DeploymentConfig.AutoRollbackConfiguration.Alarms).toEqual(gates);
  });

  test('GIVEN defaults THEN the gates have fixed names, so that the execution policy names them without a reference', () => {
    const { template } = endpointStack();
    expect(Object.values(template().findResources('AWS::CloudWatch::Alarm')).map((alarm: any) => alarm.Properties.AlarmName).sort())
      .toEqual(['fraud-5xx-rate-gate', 'fraud-p99-latency-gate']);
  });

  test('GIVEN defaults THEN a bad canary serves half of the requests (1 of 2 instances) for at most 3 minutes', () => {
    expect(endpointStack().endpoint.rollbackExposure).toEqual({ sharePercent: 50, minutes: 3 });
  });

  test('GIVEN 10 instances THEN the 10 % canary is one instance, 10 % of the requests', () => {
    const { endpoint } = endpointStack({ autoscaling: { minCapacity: 10, maxCapacity: 20 } });
    expect(endpoint.rollbackExposure.sharePercent).toBe(10);
  });

  test('GIVEN the README THEN the exposure it states is the one the defaults give', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const { sharePercent, minutes } = endpointStack().endpoint.rollbackExposure;
    expect(readme).toContain(`a bad version serves **${sharePercent} %** of requests for at most ${minutes} minutes (\`endpoint.rollbackExposure\`)`);
  });
});
