import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { PlatformApp } from '../../constructs/k8s';
import { definePlatform as defineK8sPlatform } from '../../examples/k8s-platform/platform';
import { definePlatform as defineAwsPlatform } from '../../examples/ml-platform/platform';
import { FRAUD_ML_OWNER } from '../../examples/shared/fraud-ml-owner';
import { FRAUD_MODEL_SHA256, fraudModel } from '../../examples/shared/fraud-model';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';

const OWNER_SENTENCE = / Owner: fraud-ml <fraud-ml-oncall@example\.com>\. Runbook: https:\/\/runbooks\.example\.com\/ml\/[a-z0-9/-]+$/;

describe('the example fraud model', () => {
  test('GIVEN a version the digest table does not list and no digest THEN the example names both ways to give one', () => {
    expect(() => fraudModel('1.6.0')).toThrow('The fraud model 1.6.0 has no SHA-256 in examples/shared/fraud-model.ts: add it to FRAUD_MODEL_SHA256, '
      + 'or pass -c fraudModelSha256=<sha256sum of model.tar.gz> with -c fraudModelVersion=1.6.0');
  });

  test('GIVEN a version with its digest given THEN the model carries that digest', () => {
    expect(fraudModel('1.6.0', 'e'.repeat(64)).sha256).toBe('e'.repeat(64));
  });
});

describe('the example platforms on MlPlatform', () => {
  describe('AWS', () => {
    const app = conformingApp();
    const stack = defineAwsPlatform(app);
    const assembly = synthesizeConforming(app);
    const catalog = JSON.parse(readFileSync(join(assembly.directory, 'fraud-platform.catalog.json'), 'utf8'));

    test('GIVEN every CloudWatch alarm of the example THEN its description ends with the owner and a runbook below the owner\'s base', () => {
      const descriptions = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmDescription);
      // 4 of the endpoint and the pipeline, 2 feature-group freshness alarms, 4 of each drift monitor, the fleet's
      // unfinished rollouts and the on-device inference errors that gate it.
      expect([descriptions.length, descriptions.filter((d) => !OWNER_SENTENCE.test(d))]).toEqual([16, []]);
    });

    test('GIVEN the example THEN one key, two buckets (data and access logs) and one topic: the platform\'s, shared', () => {
      const template = Template.fromStack(stack);
      const count = (type: string) => Object.keys(template.findResources(type)).length;
      expect(['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::CloudWatch::Dashboard'].map(count)).toEqual([1, 2, 1, 1]);
    });

    test('GIVEN the example THEN the catalog lists the endpoint, the pipeline, their model, image, feature groups and data, the drift monitors and their retraining, the topic and the dashboard', () => {
      expect(catalog.nodes.map((n: any) => `${n.kind}:${n.id}`)).toEqual([
        'model:model:fraud@1.4.0',
        `image:image:${stack.fraudEndpoint.plan.image.reference}`,
        'feature-group:MlPlatform/Platform/FraudFeatures/customer-spend',
        'feature-group:MlPlatform/Platform/FraudFeatures/transaction-risk',
        'dataset:MlPlatform/Platform/FraudEndpoint/CapturedData',
        'dataset:MlPlatform/Platform/FraudScoring/Input',
        'dataset:MlPlatform/Platform/FraudScoring/Published',
        'endpoint:MlPlatform/Platform/FraudEndpoint',
        'fleet:MlPlatform/Platform/FraudDevices',
        'pipeline:MlPlatform/Platform/FraudScoring',
        'monitor:MlPlatform/Platform/FraudInputDrift',
        'monitor:MlPlatform/Platform/FraudRequestDrift',
        'retraining:MlPlatform/Platform/FraudRequestDrift/Retraining',
        'topic:MlPlatform/Platform/Owner',
        'dashboard:MlPlatform/Platform/Dashboard',
      ]);
    });

    test('GIVEN the example THEN the catalog names the owner and the runbook of the endpoint, the fleet and the pipeline', () => {
      const owned = catalog.nodes.filter((n: any) => ['endpoint', 'fleet', 'pipeline'].includes(n.kind)).map((n: any) => [n.kind, n.owner, n.runbook]);
      expect([catalog.owner, owned]).toEqual([FRAUD_ML_OWNER, [
        ['endpoint', 'fraud-ml', 'https://runbooks.example.com/ml/canary-endpoint'],
        ['fleet', 'fraud-ml', 'https://runbooks.example.com/ml/edge-ota-fleet'],
        ['pipeline', 'fraud-ml', 'https://runbooks.example.com/ml/batch-scoring-pipeline'],
      ]]);
    });

    test('GIVEN the retail devices THEN the fleet rolls out to the canary group, then one group, then the last two, 3 groups exposed for 130 minutes', () => {
      const fleet = catalog.nodes.find((n: any) => n.kind === 'fleet');
      expect([stack.fraudDevices.plan.waves, fleet.properties]).toEqual([
        [
          { name: 'canary', targets: ['retail-canary'] },
          { name: 'wave-1', targets: ['retail-eu-1'] },
          { name: 'wave-2', targets: ['retail-eu-2', 'retail-eu-3'] },
        ],
        { waves: 'canary:1 wave-1:1 wave-2:2', exposure: '3 targets for 7800 s' },
      ]);
    });

    test('GIVEN the on-device error alarm THEN the fleet\'s driver judges each wave by it and it notifies the owner\'s topic', () => {
      const template = Template.fromStack(stack);
      const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
      const alarm = template.findResources('AWS::CloudWatch::Alarm')[logicalId(stack.fraudDeviceErrors)].Properties;
      const driver = template.findResources('AWS::StepFunctions::StateMachine')[logicalId(stack.fraudDevices.stateMachine)];
      const topic = [{ Ref: logicalId(stack.platform.notifications.topic) }];
      expect([JSON.stringify(driver.Properties.DefinitionString).includes(`{"Ref":"${logicalId(stack.fraudDeviceErrors)}"}`), alarm.AlarmActions, alarm.OKActions])
        .toEqual([true, topic, topic]);
    });

    test('GIVEN the SBOM THEN it lists the fleet, depending on its Greengrass component, which depends on the model (with its SHA-256) and the pinned runtime', () => {
      const sbom = JSON.parse(readFileSync(join(assembly.directory, 'MlPlatform.sbom.cdx.json'), 'utf8'));
      const dependsOn = (ref: string) => sbom.dependencies.find((d: any) => d.ref === ref)?.dependsOn;
      const component = `service:ml.fraud@${stack.fraudDevices.componentVersion}`;
      const model = sbom.components.find((c: any) => c.type === 'machine-learning-model');
      expect([
        dependsOn('service:MlPlatform-Platform-FraudDevices'),
        dependsOn(component),
        model.hashes,
      ]).toEqual([
        [component],
        ['model:fraud@1.4.0:s3://ml-platform-models-eu-west-1/fraud/1.4.0/model.tar.gz', 'service:com.example.fraud.XgboostRuntime@2.1.1'],
        [{ alg: 'SHA-256', content: FRAUD_MODEL_SHA256['1.4.0'] }],
      ]);
    });

    test('GIVEN the example THEN the diagram shows models to endpoints to captured data to monitors to retraining, and inputs to pipelines to published results', () => {
      const mermaid = readFileSync(join(assembly.directory, 'fraud-platform.diagram.md'), 'utf8');
      const lanes = [...mermaid.matchAll(/subgraph \w+\["([^"]+)"\]/g)].map((m) => m[1]);
      expect(lanes).toEqual([
        'Models', 'Inputs and features', 'Endpoints and fleets', 'Pipelines', 'Captured data', 'Published results', 'Monitors', 'Retraining', 'Alerts and dashboards',
      ]);
    });

    test('GIVEN the example THEN the captured requests and the pipeline\'s inputs each read into a drift monitor, and only the request monitor triggers retraining', () => {
      const drift = catalog.links.filter((l: any) => [l.from, l.to].some((id: string) => id.includes('Drift'))).map((l: any) => `${l.from} -${l.relation}-> ${l.to}`);
      expect(drift).toEqual([
        'MlPlatform/Platform/FraudEndpoint/CapturedData -reads-> MlPlatform/Platform/FraudRequestDrift',
        'MlPlatform/Platform/FraudInputDrift -monitors-> MlPlatform/Platform/FraudScoring',
        'MlPlatform/Platform/FraudInputDrift -notifies-> MlPlatform/Platform/Owner',
        'MlPlatform/Platform/FraudRequestDrift -monitors-> MlPlatform/Platform/FraudEndpoint',
        'MlPlatform/Platform/FraudRequestDrift -triggers-> MlPlatform/Platform/FraudRequestDrift/Retraining',
        'MlPlatform/Platform/FraudRequestDrift -notifies-> MlPlatform/Platform/Owner',
        'MlPlatform/Platform/FraudScoring/Input -reads-> MlPlatform/Platform/FraudInputDrift',
      ]);
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
      // The pipeline's 2, the store fleet's Degraded page and the two drift monitors' 5 each.
      expect([alerts.length, unowned]).toEqual([13, []]);
    });

    test('GIVEN the example THEN the catalog lists the endpoint, the pipeline, their model, image, feature groups and data and the dashboard', () => {
      expect(catalog.nodes.map((n: any) => `${n.kind}:${n.name}`)).toEqual([
        'model:fraud', 'image:ml/fraud-server', 'feature-group:customer-spend', 'feature-group:transaction-risk',
        'dataset:fraud drift data', 'dataset:fraud-scoring input', 'dataset:fraud-scoring published scores',
        'endpoint:fraud', 'fleet:fraud-stores', 'pipeline:fraud-scoring',
        'monitor:fraud drift: pipeline inputs', 'monitor:fraud drift: captured requests', 'retraining:fraud retraining', 'dashboard:fraud-platform dashboard',
      ]);
    });

    test('GIVEN the example THEN the request monitor reads its own capture dataset, the input monitor the pipeline\'s inputs, and only the request monitor opens a retraining Job', () => {
      const drift = catalog.links.filter((l: any) => [l.from, l.to].some((id: string) => id.includes('Drift'))).map((l: any) => `${l.from} -${l.relation}-> ${l.to}`);
      expect(drift).toEqual([
        'ml-platform/Platform/FraudInputDrift -monitors-> ml-platform/Platform/FraudScoring',
        'ml-platform/Platform/FraudRequestDrift -monitors-> ml-platform/Platform/FraudEndpoint',
        'ml-platform/Platform/FraudRequestDrift -triggers-> ml-platform/Platform/FraudRequestDrift/Retraining',
        'ml-platform/Platform/FraudRequestDrift/Data -reads-> ml-platform/Platform/FraudRequestDrift',
        'ml-platform/Platform/FraudScoring/Input -reads-> ml-platform/Platform/FraudInputDrift',
      ]);
      const retraining = catalog.nodes.find((n: any) => n.kind === 'retraining');
      expect([retraining.location, retraining.properties.approval]).toEqual(['ml-platform/fraud-1-4-0-retrain', 'kubectl patch job (spec.suspend: false)']);
    });

    test('GIVEN the store clusters THEN one ApplicationSet in argocd whose RollingSync steps are the canary store, 1, 3 and 5 stores, then late joiners', () => {
      const [applicationSet, ...others] = objects.filter((o) => o.kind === 'ApplicationSet');
      const steps = applicationSet.spec.strategy.rollingSync.steps
        .map((step: any) => [step.matchExpressions[0].operator, step.matchExpressions[0].values.length, step.maxUpdate]);
      expect([others.length, applicationSet.metadata.namespace, applicationSet.spec.generators[0].clusters.selector.matchLabels, steps]).toEqual([
        0, 'argocd', { 'ml-platform/fleet': 'fraud-stores' }, [['In', 1, 1], ['In', 1, 1], ['In', 3, 3], ['In', 5, 5], ['NotIn', 10, 1]],
      ]);
    });

    test('GIVEN a store cluster Degraded THEN the page gives the command that pins the ApplicationSet back to the last known-good commit', () => {
      const rule = objects.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === 'fraud-stores');
      expect(rule.spec.groups[0].rules[0].annotations.description).toContain('Pin the last known-good commit: kubectl -n argocd patch applicationset fraud-stores --type json -p '
        + '\'[{"op":"replace","path":"/spec/template/spec/source/targetRevision","value":"7c4a8d09ca3762af61e59520943dc26494f8941b"}]\'');
    });
  });
});
