import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import jsonata from 'jsonata';
import {
  BatchScoringPipeline, CanaryEndpoint, DriftMonitor, type DriftMonitorProps, MlPlatform, Residency,
} from '../../constructs/aws';
import { DRIFT_PUT_METRICS, DRIFT_READ_WINDOW, DRIFT_REQUEST_RETRAINING, DRIFT_WRITE_REPORT, GATE_ASK_OWNER, GATE_START_PIPELINE } from '../../lib/aws/contracts/drift-monitor';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';
import { contractViolations } from '../support/service-contracts';

const OWNER = { team: 'fraud-ml', email: 'fraud-ml-oncall@example.com', runbookBaseUrl: 'https://runbooks.example.com/ml/' };
const BASELINE = 's3://models-eu/fraud/1.4.0/baseline.json';
const PIPELINE_ARN = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/fraud-retraining';

function monitored(props: Partial<DriftMonitorProps> = {}, app: App = new App()) {
  const stack = new Stack(app, 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
  const endpoint = new CanaryEndpoint(platform, 'Fraud', { model: MODEL, image: IMAGE });
  const monitor = new DriftMonitor(platform, 'FraudDrift', {
    model: MODEL, baselineUri: BASELINE, endpoint, retraining: { target: 'sagemaker-pipeline' }, pipelineArn: PIPELINE_ARN, ...props,
  } as DriftMonitorProps);
  return { app, stack, platform, endpoint, monitor, template: () => Template.fromStack(stack) };
}

/** The comparison function's configuration, with deploy-time references as `<ref>`. */
function configOf(template: Template): any {
  const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'drift_lambda.handler' } }))[0] as any;
  const value = fn.Properties.Environment.Variables.DRIFT_MONITOR_CONFIG;
  const text = typeof value === 'string' ? value : value['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text);
}

describe('AWS DriftMonitor', () => {
  test('GIVEN a CanaryEndpoint under a platform THEN the function reads its capture layout hourly and reports under the monitor\'s prefix', () => {
    const { template } = monitored();
    expect(configOf(template())).toEqual({
      kind: 'endpoint-capture',
      bucket: '<ref>',
      windowTemplate: 'data-capture/Serving-Platform-Fraud-48161BC1/{variant}/{yyyy}/{mm}/{dd}/{hh}/',
      variantNames: ['AllTraffic'],
      format: 'sagemaker-capture',
      everyHours: 1,
      baselineBucket: 'models-eu',
      baselineKey: 'fraud/1.4.0/baseline.json',
      reportBucket: '<ref>',
      reportPrefix: 'reports/Serving-Platform-FraudDrift/',
      namespace: 'MlPlatform/DriftMonitor',
      monitor: 'Serving-Platform-FraudDrift',
      modelName: 'fraud',
      compareArguments: ['compare', '--model-name=fraud', '--model-version=1.4.0', '--psi-warn=0.1', '--psi-alarm=0.2', '--ks-alpha=0.01', '--ks-min-statistic=0.1'],
      maxWindowBytes: 1073741824,
      retrainingStateMachineArn: '<ref>',
    });
  });

  test('GIVEN an hourly window THEN the schedule runs at minute 10 of every hour in UTC and invokes the function with its scheduled time', () => {
    const { template } = monitored();
    template().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(10 0/1 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({ Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}', RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 } }),
    });
  });

  test('GIVEN the defaults THEN the function runs Python for 900 s with 3008 MB, 2048 MB of /tmp, no asynchronous retry and the dead-letter queue', () => {
    const { template } = monitored();
    template().hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'drift_lambda.handler', Runtime: 'python3.14', Timeout: 900, MemorySize: 3008, EphemeralStorage: { Size: 2048 }, DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
  });

  test('GIVEN the defaults THEN a failed comparison is not retried', () => {
    const { template } = monitored();
    template().hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  test('GIVEN a monitor under a platform THEN four alarms page the owner with runbooks: warn, alarm, insufficient data, and two missing reports', () => {
    const { template } = monitored();
    const alarms = template().findResources('AWS::CloudWatch::Alarm');
    const ours = Object.entries(alarms).filter(([id]) => id.includes('FraudDrift'));
    const descriptions = Object.fromEntries(ours.map(([id, alarm]: [string, any]) => [id.replace(/[0-9A-F]{8}$/, ''), alarm.Properties.AlarmDescription]));
    expect(Object.keys(descriptions).sort()).toEqual([
      'PlatformFraudDriftFeaturesAtAlarm', 'PlatformFraudDriftFeaturesAtWarn', 'PlatformFraudDriftInsufficientData', 'PlatformFraudDriftMissingReports',
    ]);
    expect(descriptions.PlatformFraudDriftFeaturesAtAlarm).toBe(
      'Serving/Platform/FraudDrift: a feature of fraud drifted to alarm level (PSI >= 0.2 or KS). A retraining request awaits approval. '
      + 'Owner: fraud-ml <fraud-ml-oncall@example.com>. Runbook: https://runbooks.example.com/ml/drift-monitor/alarm');
    expect(descriptions.PlatformFraudDriftMissingReports).toBe('Serving/Platform/FraudDrift: no drift report for two periods (2 h); the comparison is failing or not scheduled. '
      + 'See the function\'s logs and the dead-letter queue. Owner: fraud-ml <fraud-ml-oncall@example.com>. Runbook: https://runbooks.example.com/ml/drift-monitor/missing-reports');
  });

  test('GIVEN the missing-reports alarm THEN fewer than one report in each of two hourly periods, missing data included, alarms', () => {
    const { template } = monitored();
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Reports',
      Namespace: 'MlPlatform/DriftMonitor',
      Statistic: 'SampleCount',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
    });
  });

  test('GIVEN retraining to a SageMaker pipeline THEN the gate asks the owner with a task token and the approve command, and starts the pipeline', async () => {
    const { monitor, stack } = monitored();
    const machine = stack.resolve((monitor.retrainingGate!.stateMachine.node.defaultChild as any).definitionString);
    const asl = JSON.parse(typeof machine === 'string' ? machine : machine['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
    expect(asl.StartAt).toBe('AskOwner');
    expect(asl.States.AskOwner.Resource).toBe('arn:TOKEN:states:::sns:publish.waitForTaskToken');
    expect(asl.States.AskOwner.TimeoutSeconds).toBe(72 * 3600);
    const message = await jsonata(/^\{%([\s\S]*)%\}$/.exec(asl.States.AskOwner.Arguments.Message)![1]).evaluate({}, {
      states: { input: { window: '20261125T02', report: 's3://b/r.json', topDrifting: [{ feature: 'amount', status: 'alarm', psi: 0.31 }] }, context: { Task: { Token: 'TOKEN123' } } },
    });
    expect(message).toBe('Drift at alarm level for model fraud: retraining waits for your approval.\nWindow: 20261125T02\nReport: s3://b/r.json'
      + '\nTop drifting features: amount (alarm, PSI 0.31)'
      + '\n\nApprove: aws stepfunctions send-task-success --task-output \'{"approved":true}\' --task-token TOKEN123'
      + '\nReject:  aws stepfunctions send-task-failure --error Rejected --task-token TOKEN123\nUnanswered, the request times out after 72 h.');
    expect(asl.States.AskOwner.Catch.map((c: any) => [c.ErrorEquals, c.Next])).toEqual([[['Rejected'], 'RejectedByOwner'], [['States.Timeout'], 'TimedOut']]);
    expect(asl.States.AskOwner.Next).toBe('StartPipeline');
    expect(asl.States.StartPipeline.Resource).toBe('arn:TOKEN:states:::aws-sdk:sagemaker:startPipelineExecution');
  });

  test('GIVEN the monitor THEN its roles hold every action its service calls need', () => {
    const { monitor, template } = monitored();
    const t = template();
    for (const contract of [DRIFT_READ_WINDOW, DRIFT_WRITE_REPORT, DRIFT_PUT_METRICS, DRIFT_REQUEST_RETRAINING]) {
      expect(contractViolations(t, contract, { role: monitor.function.role! })).toEqual([]);
    }
    for (const contract of [GATE_ASK_OWNER, GATE_START_PIPELINE]) {
      expect(contractViolations(t, contract, { role: monitor.retrainingGate!.stateMachine.role })).toEqual([]);
    }
  });

  test('GIVEN a BatchScoringPipeline THEN the monitor reads each run date\'s input daily', () => {
    const app = new App();
    const stack = new Stack(app, 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
    const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
    const pipeline = new BatchScoringPipeline(platform, 'Nightly', {
      model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' }, inputUri: 's3://fraud-data-eu/transactions/', outputUri: 's3://fraud-data-eu/scores/',
    });
    new DriftMonitor(platform, 'InputDrift', { model: MODEL, baselineUri: BASELINE, pipeline });
    const config = configOf(Template.fromStack(stack));
    expect([config.kind, config.bucket, config.windowTemplate, config.format, config.everyHours]).toEqual(['pipeline-inputs', 'fraud-data-eu', 'transactions/run_date={yyyy}-{mm}-{dd}/', 'csv', 24]);
  });

  test('GIVEN both an endpoint and a source THEN an MlPlatformError names both', () => {
    const error = thrownBy(() => monitored({ source: { kind: 'prefix', uri: 's3://fraud-data-eu/x/', format: 'csv' } }));
    expect(error.message).toBe('Serving/Platform/FraudDrift: invalid source and endpoint "source, endpoint". Allowed: exactly one of source, endpoint and pipeline. Fix: name the data compared once');
  });

  test('GIVEN retraining to a state machine but a pipeline ARN THEN an MlPlatformError names the stray target', () => {
    const error = thrownBy(() => monitored({ retraining: { target: 'state-machine' } }));
    expect(error.message).toBe('Serving/Platform/FraudDrift: invalid pipelineArn "pipelineArn". Allowed: stateMachine for retraining.target "state-machine", and no other target. Fix: pass stateMachine and remove pipelineArn');
  });

  test('GIVEN retraining to an EventBridge event THEN the approval puts a "Retraining approved" event on the default bus', () => {
    const { monitor, stack } = monitored({ retraining: { target: 'eventbridge-event' }, pipelineArn: undefined });
    const machine = stack.resolve((monitor.retrainingGate!.stateMachine.node.defaultChild as any).definitionString);
    const text = JSON.stringify(machine);
    expect(text).toContain('"DetailType\\":\\"Retraining approved\\"');
  });

  test('GIVEN the monitor in a conforming app THEN the nag packs and Control Tower controls find nothing', () => {
    const { app } = monitored({}, conformingApp());
    expect(() => synthesizeConforming(app)).not.toThrow();
  });

  test('GIVEN a model without a matching baseline model THEN the SBOM lists the baseline as a dataset of the model', () => {
    const { stack, app } = monitored();
    app.synth();
    const sbom = JSON.parse(readFileSync(join(app.outdir, `${stack.artifactId}.sbom.cdx.json`), 'utf8'));
    const baseline = sbom.components.find((c: any) => c.name === 'fraud-1.4.0-drift-baseline');
    expect(baseline.type).toBe('data');
    const model = sbom.components.find((c: any) => c.name === 'fraud' && c.type === 'machine-learning-model');
    expect(sbom.dependencies.find((d: any) => d.ref === model['bom-ref']).dependsOn).toContain(baseline['bom-ref']);
  });

  test('GIVEN notifications that are a string THEN an MlPlatformError names the prop and the kind wanted', () => {
    const error = thrownBy(() => monitored({ notifications: 'topic' as never }));
    expect(error.message).toBe('Serving/Platform/FraudDrift: invalid notifications "topic". Allowed: an OwnerNotifications. Fix: pass new OwnerNotifications(scope, "Owner", { ... })');
  });

  test('GIVEN an endpoint given by name THEN an MlPlatformError asks for the construct', () => {
    const error = thrownBy(() => monitored({ endpoint: 'fraud' as never }));
    expect(error.message).toBe('Serving/Platform/FraudDrift: invalid endpoint "fraud". Allowed: a CanaryEndpoint construct. Fix: pass the construct itself, not its name or ARN');
  });

  test('GIVEN a construct path of 1,100 characters THEN the monitor name (a metric dimension) is cut to 200 with the construct address', () => {
    const app = new App();
    const stack = new Stack(app, 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
    const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
    const monitor = new DriftMonitor(platform, 'y'.repeat(1100), { model: MODEL, baselineUri: BASELINE, source: { kind: 'prefix', uri: 's3://fraud-data-eu/x/', format: 'csv' } });
    expect(monitor.reportPrefix).toBe(`reports/Serving-Platform-${'y'.repeat(174)}-${monitor.node.addr.slice(0, 8)}/`);
  });
});
