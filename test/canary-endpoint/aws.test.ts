import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  applyResidency, CanaryEndpoint, type CanaryEndpointProps, ContainerImage, EncryptionKey, MlPlatformError, ModelArtifact, OwnerNotifications,
  Residency, StackSbom,
} from '../../constructs/aws';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { CHALLENGER, IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';

function endpointStack(overrides: Partial<CanaryEndpointProps> = {}, app = new App()) {
  applyResidency(app, Residency.EU);
  const stack = new Stack(app, 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  const endpoint = new CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, ...overrides });
  return { app, stack, endpoint, template: () => Template.fromStack(stack) };
}

describe('AWS CanaryEndpoint', () => {
  test('GIVEN defaults THEN a blue/green CANARY of 10 % capacity, 600 s bake, 600 s termination wait and 50 minutes to finish', () => {
    const { template } = endpointStack();
    template().hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
          TerminationWaitInSeconds: 600,
          MaximumExecutionTimeoutInSeconds: 3000,
        },
      },
      RetainAllVariantProperties: true,
    });
  });

  test('GIVEN defaults THEN the endpoint rolls back on its two gate alarms', () => {
    const { template, endpoint } = endpointStack();
    const stack = Stack.of(endpoint);
    template().hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        AutoRollbackConfiguration: {
          Alarms: [
            { AlarmName: stack.resolve(endpoint.errorRateAlarm.alarmName) },
            { AlarmName: stack.resolve(endpoint.latencyAlarm.alarmName) },
          ],
        },
      },
    });
  });

  test('GIVEN defaults THEN the 5xx gate is the Average of the new fleet\'s Invocation5XXErrors (its 5xx rate), above 0.01 on 2 of 3 minutes', () => {
    const { endpoint, template } = endpointStack();
    const gate = Object.values(template().findResources('AWS::CloudWatch::Alarm'))
      .find((alarm) => alarm.Properties.MetricName === 'Invocation5XXErrors')!.Properties;
    const endpointConfigName = Object.values(template().findResources('AWS::SageMaker::Endpoint'))[0].Properties.EndpointConfigName;
    expect({ ...gate, AlarmActions: undefined, OKActions: undefined, AlarmDescription: undefined, Tags: undefined }).toEqual({
      AlarmName: `${endpoint.endpointName}-5xx-rate-gate`,
      Namespace: 'AWS/SageMaker',
      MetricName: 'Invocation5XXErrors',
      Dimensions: [
        { Name: 'EndpointConfigName', Value: endpointConfigName },
        { Name: 'EndpointName', Value: endpoint.endpointName },
        { Name: 'VariantName', Value: 'AllTraffic' },
      ],
      Statistic: 'Average',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0.01,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: undefined,
      OKActions: undefined,
      AlarmDescription: undefined,
      Tags: undefined,
    });
  });

  test('GIVEN a 8.05 % error gate THEN the 5xx gate\'s threshold is the fraction 0.0805 exactly', () => {
    const { template } = endpointStack({ rollbackGates: { maxErrorRatePercent: 8.05 } });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Invocation5XXErrors', Statistic: 'Average', Threshold: 0.0805 });
  });

  test('GIVEN a 250 ms latency gate THEN the p99 ModelLatency alarm threshold is 250000 microseconds', () => {
    const { template } = endpointStack({ rollbackGates: { maxP99LatencyMs: 250 } });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ModelLatency',
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: 250_000,
      Dimensions: Match.arrayWith([{ Name: 'VariantName', Value: 'AllTraffic' }]),
    });
  });

  test('GIVEN a linear shift THEN LINEAR steps and a timeout that fits every bake', () => {
    const { template } = endpointStack({ trafficShift: { kind: 'linear', percent: 20, bakeMinutes: 5 } });
    template().hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 20 }, WaitIntervalInSeconds: 300 },
          // 4 steps x 5 minutes + 10 minutes termination wait + 30 minutes provisioning.
          MaximumExecutionTimeoutInSeconds: 3600,
        },
      },
    });
  });

  test('GIVEN all-at-once with a reason THEN ALL_AT_ONCE, still with rollback alarms during the termination wait', () => {
    const { template } = endpointStack({ trafficShift: { kind: 'all-at-once', allAtOnceReason: 'dev endpoint' }, autoscaling: { minCapacity: 1 } });
    template().hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 }, TerminationWaitInSeconds: 600 },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: Match.anyValue() }, { AlarmName: Match.anyValue() }] },
      },
    });
  });

  test('GIVEN defaults THEN a network-isolated model and a config with KMS, a stable variant name and data capture of input and output', () => {
    const { template } = endpointStack();
    template().hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      PrimaryContainer: { Image: IMAGE.reference, ModelDataUrl: MODEL.uri, Environment: { MODEL_NAME: 'fraud', MODEL_VERSION: '1.4.0' } },
    });
    template().hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      EndpointConfigName: Match.absent(),
      KmsKeyId: Match.anyValue(),
      ProductionVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.m5.large', InitialInstanceCount: 2, InitialVariantWeight: 1, ModelName: Match.anyValue() }],
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 100,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        KmsKeyId: Match.anyValue(),
        DestinationS3Uri: Match.anyValue(),
      },
    });
  });

  test('GIVEN data capture off THEN no capture config and no capture bucket', () => {
    const { template, endpoint } = endpointStack({ dataCapture: { enabled: false } });
    template().hasResourceProperties('AWS::SageMaker::EndpointConfig', { DataCaptureConfig: Match.absent() });
    expect(endpoint.dataCaptureBucket).toBeUndefined();
  });

  test('GIVEN defaults THEN target tracking on SageMakerVariantInvocationsPerInstance, 2-4 instances, scale-in slower than scale-out', () => {
    const { template } = endpointStack();
    template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ResourceId: Match.stringLikeRegexp('^endpoint/Serving-Fraud-[A-F0-9]+/variant/AllTraffic$'),
      MinCapacity: 2,
      MaxCapacity: 4,
    });
    template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 600,
        ScaleOutCooldown: 60,
        ScaleInCooldown: 300,
      },
    });
  });

  test('GIVEN a shadow model THEN one ShadowProductionVariants entry with its own model and the copy share as weight', () => {
    const { template } = endpointStack({ shadow: { model: CHALLENGER, trafficPercent: 20 } });
    template().resourceCountIs('AWS::SageMaker::Model', 2);
    template().hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ShadowProductionVariants: [Match.objectLike({ VariantName: 'Shadow', InitialVariantWeight: 0.2, InitialInstanceCount: 1 })],
    });
  });

  test('GIVEN defaults THEN the execution policy grants no wildcard actions and reads only its model object', () => {
    const { template } = endpointStack();
    const policies = Object.values(template().findResources('AWS::IAM::ManagedPolicy'));
    const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((action: string) => action.includes('*'))).toEqual([]);
    expect(actions).not.toContain('sagemaker:*');
    expect(statements.find((s: any) => s.Action === 's3:GetObject').Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models-eu/fraud/1.4.0/model.tar.gz']] });
    template().resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('GIVEN grantInvoke THEN the grantee may call InvokeEndpoint on this endpoint only', () => {
    const { stack, endpoint, template } = endpointStack({ endpointName: 'fraud' });
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantInvoke(caller);
    template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'sagemaker:InvokeEndpoint',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:123456789012:endpoint/fraud']] },
        }],
      },
    });
  });

  test('GIVEN the metric helpers THEN they watch the whole production variant, across fleets', () => {
    const { endpoint } = endpointStack({ endpointName: 'fraud' });
    expect(endpoint.metricInvocations().dimensions).toEqual({ EndpointName: 'fraud', VariantName: 'AllTraffic' });
    expect(endpoint.metricP99Latency().statistic).toBe('p99');
    expect(endpoint.metricErrorRate().expression).toBe('IF(invocations > 0, 100 * errors / invocations, 0)');
  });

  test('GIVEN the endpoint THEN the stack SBOM lists the model, the pinned image and the endpoint depending on both', () => {
    const { endpoint } = endpointStack({ endpointName: 'fraud' });
    const sbom = JSON.parse(StackSbom.of(endpoint).toJson());
    expect(sbom.components.map((c: any) => `${c.type}:${c.name}`)).toEqual(expect.arrayContaining(['machine-learning-model:fraud', 'container:fraud-server']));
    const image = sbom.components.find((c: any) => c.type === 'container');
    expect(image.purl).toContain(`sha256:${'a'.repeat(64)}`);
    const service = sbom.services.find((s: any) => s.name === 'fraud');
    expect(sbom.dependencies.find((d: any) => d.ref === service['bom-ref']).dependsOn).toHaveLength(2);
  });

  test('GIVEN defaults and the three cdk-nag packs THEN synthesis has zero findings', () => {
    const { app } = endpointStack({}, conformingApp());
    expect(() => synthesizeConforming(app)).not.toThrow();
  });

  test('GIVEN a canary of 60 % THEN the exact error names the construct, the prop, the value and SageMaker\'s limit', () => {
    const error = thrownBy(() => endpointStack({ trafficShift: { percent: 60 } }));
    expect(error.message).toBe('Serving/Fraud: invalid trafficShift.percent 60. Allowed: a whole number from 1 to 50 (SageMaker\'s canary may take '
      + 'at most 50 % of capacity). Fix: set trafficShift.percent within 1-50');
  });

  test('snapshot of the default output', () => {
    const { stack } = endpointStack({ endpointName: 'fraud' });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});

const ONE_ALARM = (stack: Stack, id: string) => new cloudwatch.Alarm(stack, id, { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1 });

/** Invalid AWS-only props: [what, props (given the stack for alarms), the prop the error must name]. */
const INVALID_AWS_PROPS: Array<[string, (stack: Stack) => Partial<CanaryEndpointProps>, string]> = [
  ['a canary on Inf1, which has no deployment guardrails', () => ({ instanceType: 'ml.inf1.xlarge' }), 'instanceType'],
  ['an instance type that is not SageMaker\'s', () => ({ instanceType: 'm5.large' }), 'instanceType'],
  ['an https model, which SageMaker cannot download', () => ({ model: ModelArtifact.fromUri('https://models.example.com/fraud.tar.gz') }), 'model'],
  ['an image outside ECR', () => ({ image: ContainerImage.fromDigest(`docker.io/library/python@sha256:${'b'.repeat(64)}`) }), 'image'],
  ['a shadow image outside ECR', () => ({ shadow: { model: CHALLENGER, image: ContainerImage.fromDigest(`quay.io/ml/server@sha256:${'c'.repeat(64)}`) } }), 'shadow.image'],
  ['capture of 0 %', () => ({ dataCapture: { samplingPercent: 0 } }), 'dataCapture.samplingPercent'],
  ['capture off with a sampling rate', () => ({ dataCapture: { enabled: false, samplingPercent: 10 } }), 'dataCapture.enabled'],
  ['a termination wait above 60 minutes', () => ({ terminationWaitMinutes: 61 }), 'terminationWaitMinutes'],
  ['a deployment timeout shorter than the bakes', () => ({ maxDeploymentMinutes: 15 }), 'maxDeploymentMinutes'],
  ['linear bakes beyond SageMaker\'s 8 hours', () => ({ trafficShift: { kind: 'linear', percent: 10, bakeMinutes: 60 } }), 'trafficShift.bakeMinutes'],
  ['nine extra rollback alarms', (stack) => ({ rollbackAlarms: Array.from({ length: 9 }, (_, i) => ONE_ALARM(stack, `A${i}`)) }), 'rollbackAlarms'],
  ['an endpoint name with an underscore', () => ({ endpointName: 'fraud_model' }), 'endpointName'],
];

describe('AWS CanaryEndpoint: invalid props', () => {
  test.each(INVALID_AWS_PROPS)('GIVEN %s THEN an MlPlatformError names the prop', (_what, overrides, prop) => {
    const app = new App();
    const stack = new Stack(app, 'Serving', { env: { region: 'eu-west-1' } });
    const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
    const error = thrownBy(() => new CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, ...overrides(stack) }));
    expect(error).toBeInstanceOf(MlPlatformError);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(new RegExp(`^Serving/Fraud: invalid ${prop.replace(/\./g, '\\.')} .+\\. Allowed: .+\\. Fix: .+`));
  });
});
