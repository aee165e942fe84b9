import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  BatchScoringPipeline, CanaryEndpoint, EncryptionKey, MlPlatform, type MlPlatformProps, OwnerNotifications, Residency,
} from '../../constructs/aws';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';

const OWNER = { team: 'fraud-ml', email: 'fraud-ml-oncall@example.com', runbookBaseUrl: 'https://runbooks.example.com/ml/' };
const SCHEDULE = { cron: '0 2 * * *', timeZone: 'Europe/Dublin' };

function platformStack(props: Partial<MlPlatformProps> = {}, app = new App()) {
  const stack = new Stack(app, 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
  const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER, ...props });
  return { app, stack, platform, template: () => Template.fromStack(stack) };
}

function countOf(template: Template, type: string): number {
  return Object.keys(template.findResources(type)).length;
}

describe('AWS MlPlatform', () => {
  test('GIVEN two endpoints and a pipeline under a platform THEN one key, one data bucket with one access-log bucket, and one owner topic', () => {
    const { platform, template } = platformStack();
    new CanaryEndpoint(platform, 'Fraud', { model: MODEL, image: IMAGE });
    new CanaryEndpoint(platform, 'Churn', { model: MODEL, image: IMAGE });
    new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: SCHEDULE, ...platform.pipelineUris('nightly') });
    const t = template();
    expect([countOf(t, 'AWS::KMS::Key'), countOf(t, 'AWS::S3::Bucket'), countOf(t, 'AWS::SNS::Topic')]).toEqual([1, 2, 1]);
  });

  test('GIVEN an endpoint under a platform THEN it uses the platform key, bucket and topic', () => {
    const { platform } = platformStack();
    const endpoint = new CanaryEndpoint(platform, 'Fraud', { model: MODEL, image: IMAGE });
    expect([endpoint.encryptionKey, endpoint.dataCaptureBucket]).toEqual([platform.encryptionKey, platform.dataBucket]);
  });

  test('GIVEN an explicit key on an endpoint under a platform THEN the endpoint uses its own key', () => {
    const { platform, stack } = platformStack();
    const own = new EncryptionKey(stack, 'OwnKey').key;
    const endpoint = new CanaryEndpoint(platform, 'Fraud', { model: MODEL, image: IMAGE, encryptionKey: own });
    expect(endpoint.encryptionKey).toBe(own);
  });

  test('GIVEN an explicit topic on a pipeline under a platform THEN its alarms notify that topic, not the platform\'s', () => {
    const { platform, stack, template } = platformStack();
    const own = new OwnerNotifications(stack, 'OwnTopic', { encryptionKey: platform.encryptionKey });
    new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: SCHEDULE, notifications: own, ...platform.pipelineUris('nightly') });
    const actions = Object.values(template().findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties.AlarmActions);
    expect(actions).toEqual([[stack.resolve(own.topic.topicArn)], [stack.resolve(own.topic.topicArn)]]);
  });

  test('GIVEN an endpoint outside a platform without notifications THEN an MlPlatformError names the prop', () => {
    const stack = new Stack(new App(), 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
    expect(thrownBy(() => new CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE })).message).toBe(
      'Serving/Fraud: invalid notifications (not set). Allowed: an OwnerNotifications topic, or the endpoint created under an MlPlatform '
      + '(which supplies its owner\'s topic). Fix: pass notifications: new OwnerNotifications(...), or create the endpoint inside an MlPlatform',
    );
  });

  test('GIVEN an endpoint under a platform THEN its role may write captured data under data-capture/<endpoint>/ only', () => {
    const { platform, stack, template } = platformStack();
    new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
    const bucketArn = stack.resolve(platform.dataBucket.bucketArn);
    template().hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'Execution',
        PolicyDocument: { Statement: Match.arrayWith([{ Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [bucketArn, '/data-capture/fraud/*']] } }]) },
      }],
    });
  });

  test('GIVEN two endpoints under a platform THEN neither role reaches the other\'s captured data', () => {
    const { platform, template } = platformStack();
    new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
    new CanaryEndpoint(platform, 'Churn', { endpointName: 'churn', model: MODEL, image: IMAGE });
    const reach = Object.values(template().findResources('AWS::IAM::Role')).map((role) => JSON.stringify(role.Properties.Policies)
      .match(/\/data-capture\/[a-z]+\/\*/g));
    expect(reach).toEqual([['/data-capture/fraud/*'], ['/data-capture/churn/*']]);
  });

  test('GIVEN a pipeline under a platform THEN its role reads its input prefix and writes its run prefix only', () => {
    const { platform, template } = platformStack();
    new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: SCHEDULE, ...platform.pipelineUris('nightly') });
    const role = Object.values(template().findResources('AWS::IAM::Role', { Properties: { Policies: Match.anyValue() } }))
      .find((r) => JSON.stringify(r).includes('sagemaker.amazonaws.com'))!;
    expect(JSON.stringify(role.Properties.Policies).match(/pipelines\/[^"]*/g)).toEqual([
      'pipelines/nightly/input/run_date=*/*',
      'pipelines/nightly/output/runs/*',
    ]);
  });

  test('GIVEN an endpoint and a pipeline under a platform THEN every alarm names the owner and its runbook', () => {
    const { platform, stack } = platformStack();
    new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
    new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: SCHEDULE, ...platform.pipelineUris('nightly') });
    const endings = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
      .map((alarm) => / Owner: .*$/.exec(alarm.Properties.AlarmDescription)?.[0]);
    expect(endings).toEqual([
      ' Owner: fraud-ml <fraud-ml-oncall@example.com>. Runbook: https://runbooks.example.com/ml/canary-endpoint/error-rate-gate',
      ' Owner: fraud-ml <fraud-ml-oncall@example.com>. Runbook: https://runbooks.example.com/ml/canary-endpoint/latency-gate',
      ' Owner: fraud-ml <fraud-ml-oncall@example.com>. Runbook: https://runbooks.example.com/ml/batch-scoring-pipeline/failed-runs',
      ' Owner: fraud-ml <fraud-ml-oncall@example.com>. Runbook: https://runbooks.example.com/ml/batch-scoring-pipeline/timed-out-runs',
    ]);
  });

  test('GIVEN a user\'s own alarm under a platform THEN it gets the owner and a runbook named after its path', () => {
    const { platform, template } = platformStack();
    new cloudwatch.Alarm(platform, 'QueueDepth', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible' }), threshold: 100, evaluationPeriods: 1,
    });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'Owner: fraud-ml <fraud-ml-oncall@example.com>. Runbook: https://runbooks.example.com/ml/queue-depth',
    });
  });

  test('GIVEN a platform THEN its resources carry the team and residency tags, and an endpoint its construct and model tags', () => {
    const { platform, template } = platformStack();
    new CanaryEndpoint(platform, 'Fraud', { model: MODEL, image: IMAGE });
    template().hasResourceProperties('AWS::SageMaker::Endpoint', {
      Tags: [
        { Key: 'ml-platform/construct', Value: 'CanaryEndpoint' },
        { Key: 'ml-platform/model', Value: 'fraud' },
        { Key: 'ml-platform/residency', Value: 'eu' },
        { Key: 'ml-platform/team', Value: 'fraud-ml' },
      ],
    });
  });

  test('GIVEN an additional endpoint under a platform THEN it adds 8 CloudFormation resources', () => {
    const counts = [1, 2].map((n) => {
      const { platform, template } = platformStack();
      for (let i = 0; i < n; i++) {
        new CanaryEndpoint(platform, `Endpoint${i}`, { model: MODEL, image: IMAGE });
      }
      return Object.keys(template().toJSON().Resources).length;
    });
    expect(counts[1] - counts[0]).toBe(8);
  });

  test('GIVEN a platform outside the residency policy\'s regions THEN synthesis fails naming the stack region', () => {
    const app = new App();
    const stack = new Stack(app, 'Serving', { env: { region: 'us-east-1', account: '123456789012' } });
    new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
    expect(() => app.synth()).toThrow(/Serving: invalid env.region of stack Serving "us-east-1"/);
  });

  test('GIVEN a runbook base without a trailing slash THEN an MlPlatformError names owner.runbookBaseUrl', () => {
    expect(thrownBy(() => platformStack({ owner: { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml' } })).message).toBe(
      'Serving/Platform: invalid owner.runbookBaseUrl "https://runbooks.example.com/ml". Allowed: an https:// URL ending with "/" '
      + '(each alarm appends its own path). Fix: use e.g. "https://runbooks.example.com/ml/"',
    );
  });

  test('GIVEN a team name with capitals THEN an MlPlatformError names owner.team', () => {
    expect(thrownBy(() => platformStack({ owner: { team: 'Fraud ML', runbookBaseUrl: OWNER.runbookBaseUrl } })).prop).toBe('owner.team');
  });

  test('GIVEN the three cdk-nag packs THEN a platform with an endpoint and a pipeline synthesizes with zero findings, with its catalog and diagram', () => {
    const app = conformingApp();
    const { platform } = platformStack({}, app);
    new CanaryEndpoint(platform, 'Fraud', { endpointName: 'fraud', model: MODEL, image: IMAGE });
    new BatchScoringPipeline(platform, 'Nightly', { model: MODEL, image: IMAGE, schedule: SCHEDULE, ...platform.pipelineUris('nightly') });
    const assembly = synthesizeConforming(app);
    const files = ['platform.catalog.json', 'platform.diagram.md', 'platform.diagram.svg'].filter((file) => existsSync(join(assembly.directory, file)));
    expect(files).toEqual(['platform.catalog.json', 'platform.diagram.md', 'platform.diagram.svg']);
    const catalog = JSON.parse(readFileSync(join(assembly.directory, 'platform.catalog.json'), 'utf8'));
    expect(catalog.nodes.map((node: any) => `${node.kind}:${node.id}`)).toEqual([
      'model:model:fraud@1.4.0',
      `image:image:${IMAGE.reference}`,
      'dataset:Serving/Platform/Fraud/CapturedData',
      'dataset:Serving/Platform/Nightly/Input',
      'dataset:Serving/Platform/Nightly/Published',
      'endpoint:Serving/Platform/Fraud',
      'pipeline:Serving/Platform/Nightly',
      'topic:Serving/Platform/Owner',
      'dashboard:Serving/Platform/Dashboard',
    ]);
  });
});
