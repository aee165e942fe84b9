import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { PlatformApp } from '../../constructs/k8s';
import { definePlatform as defineK8sPlatform } from '../../examples/k8s-platform/platform';
import { definePlatform as defineAwsPlatform } from '../../examples/ml-platform/platform';
import { FRAUD_ML_OWNER } from '../../examples/shared/fraud-ml-owner';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';

const OWNER_SENTENCE = / Owner: fraud-ml <fraud-ml-oncall@example\.com>\. Runbook: https:\/\/runbooks\.example\.com\/ml\/[a-z0-9/-]+$/;

describe('the example platforms on MlPlatform', () => {
  describe('AWS', () => {
    const app = conformingApp();
    const stack = defineAwsPlatform(app);
    const assembly = synthesizeConforming(app);
    const catalog = JSON.parse(readFileSync(join(assembly.directory, 'fraud-platform.catalog.json'), 'utf8'));

    test('GIVEN every CloudWatch alarm of the example THEN its description ends with the owner and a runbook below the owner\'s base', () => {
      const descriptions = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmDescription);
      // 4 of the endpoint and the pipeline, 2 feature-group freshness alarms, 4 of each drift monitor.
      expect([descriptions.length, descriptions.filter((d) => !OWNER_SENTENCE.test(d))]).toEqual([14, []]);
    });

    test('GIVEN the example THEN one key, two buckets (data and access logs) and one topic: the platform\'s, shared', () => {
      const template = Template.fromStack(stack);
      const count = (type: string) => Object.keys(template.findResources(type)).length;
      expect(['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::CloudWatch::Dashboard'].map(count)).toEqual([1, 2, 1, 1]);
    });

    test('GIVEN the example THEN the catalog lists the endpoint, the pipeline, their model, image, feature groups and data, the topic and the dashboard', () => {
      expect(catalog.nodes.map((n: any) => `${n.kind}:${n.id}`)).toEqual([
        'model:model:fraud@1.4.0',
        `image:image:${stack.fraudEndpoint.plan.image.reference}`,
        'feature-group:MlPlatform/Platform/FraudFeatures/customer-spend',
        'feature-group:MlPlatform/Platform/FraudFeatures/transaction-risk',
        'dataset:MlPlatform/Platform/FraudEndpoint/CapturedData',
        'dataset:MlPlatform/Platform/FraudScoring/Input',
        'dataset:MlPlatform/Platform/FraudScoring/Published',
        'endpoint:MlPlatform/Platform/FraudEndpoint',
        'pipeline:MlPlatform/Platform/FraudScoring',
        'topic:MlPlatform/Platform/Owner',
        'dashboard:MlPlatform/Platform/Dashboard',
      ]);
    });

    test('GIVEN the example THEN the catalog names the owner and the runbook of the endpoint and the pipeline', () => {
      const owned = catalog.nodes.filter((n: any) => n.kind === 'endpoint' || n.kind === 'pipeline').map((n: any) => [n.owner, n.runbook]);
      expect([catalog.owner, owned]).toEqual([FRAUD_ML_OWNER, [
        ['fraud-ml', 'https://runbooks.example.com/ml/canary-endpoint'],
        ['fraud-ml', 'https://runbooks.example.com/ml/batch-scoring-pipeline'],
      ]]);
    });

    test('GIVEN the example THEN the diagram shows models to endpoints to captured data, and inputs to pipelines to published results', () => {
      const mermaid = readFileSync(join(assembly.directory, 'fraud-platform.diagram.md'), 'utf8');
      const lanes = [...mermaid.matchAll(/subgraph \w+\["([^"]+)"\]/g)].map((m) => m[1]);
      expect(lanes).toEqual(['Models', 'Inputs and features', 'Endpoints and fleets', 'Pipelines', 'Captured data', 'Published results', 'Alerts and dashboards']);
    });
  });

  describe('Kubernetes', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'k8s-example-'));
    const app = new PlatformApp({ outdir });
    const objects = defineK8sPlatform(app).toJson();
    app.synth();
    const catalog = JSON.parse(readFileSync(join(outdir, 'fraud-platform.catalog.json'), 'utf8'));
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    test('GIVEN every Prometheus alert of the example THEN it carries the team label, the owner and a runbook URL', () => {
      const alerts = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((rule) => rule.spec.groups.flatMap((g: any) => g.rules));
      const unowned = alerts.filter((a: any) => a.labels.team !== 'fraud-ml' || a.annotations.owner !== 'fraud-ml <fraud-ml-oncall@example.com>'
        || !a.annotations.runbook_url?.startsWith(FRAUD_ML_OWNER.runbookBaseUrl));
      expect([alerts.length, unowned]).toEqual([2, []]);
    });

    test('GIVEN the example THEN the catalog lists the endpoint, the pipeline, their model, image, feature groups and data and the dashboard', () => {
      expect(catalog.nodes.map((n: any) => `${n.kind}:${n.name}`)).toEqual([
        'model:fraud', 'image:ml/fraud-server', 'feature-group:customer-spend', 'feature-group:transaction-risk',
        'dataset:fraud-scoring input', 'dataset:fraud-scoring published scores',
        'endpoint:fraud', 'pipeline:fraud-scoring', 'dashboard:fraud-platform dashboard',
      ]);
    });
  });
});
