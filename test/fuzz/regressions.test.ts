// One named regression test per finding of the props fuzzing (issue 9), each failing on the output before its fix.
import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { App as Cdk8sApp, Chart } from 'cdk8s';
import jsonata from 'jsonata';
import * as aws from '../../constructs/aws';
import { inJsonata } from '../../constructs/batch-scoring-pipeline/aws-workflow';
import { RUN_LAYOUT } from '../../constructs/batch-scoring-pipeline/plan';
import * as k8s from '../../constructs/k8s';
import * as pulumi from '../../constructs/pulumi';
import type { MlPlatformError } from '../../lib/core';
import { AppSbom } from '../../lib/k8s';
import { FRAUD_FEATURES } from '../feature-store/fixtures';
import { IMAGE, MODEL, thrownBy as thrownAny } from '../support/canary-fixtures';
import { recordRegistrations } from '../support/pulumi-mocks';

recordRegistrations();

/** The MlPlatformError `build` throws. */
const thrownBy = (build: () => unknown): MlPlatformError => thrownAny(build) as MlPlatformError;

const BATCH = {
  model: MODEL,
  image: IMAGE,
  schedule: { cron: '0 2 * * *' },
  inputUri: 's3://fraud-data-eu/transactions/',
  outputUri: 's3://fraud-data-eu/scores/',
};
const VALIDATOR = aws.ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/validator@sha256:${'c'.repeat(64)}`);

function awsStack(app = new App(), id = 'Serving') {
  const stack = new Stack(app, id, { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new aws.OwnerNotifications(stack, 'Owner', { encryptionKey: new aws.EncryptionKey(stack, 'Key').key });
  return { app, stack, notifications };
}

function chart(id = 'platform', namespace?: string) {
  return new Chart(new Cdk8sApp({ outdir: 'unused' }), id, { namespace });
}

const affinityRegions = (objects: Array<Record<string, any>>, kind: string): unknown => {
  const object = objects.find((candidate) => candidate.kind === kind)!;
  const spec = kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
  return spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values;
};

describe('finding 1: residency applied to a cdk8s chart after its constructs', () => {
  test('GIVEN applyResidency after the constructs THEN the pods are pinned to the EU regions', () => {
    const scope = chart();
    new k8s.CanaryEndpoint(scope, 'Fraud', { model: MODEL, image: IMAGE });
    new k8s.BatchScoringPipeline(scope, 'Scoring', BATCH);
    k8s.applyResidency(scope, k8s.Residency.EU);
    const objects = scope.toJson();
    expect(affinityRegions(objects, 'Rollout')).toEqual([...k8s.Residency.EU.allowedRegions]);
    expect(affinityRegions(objects, 'CronJob')).toEqual([...k8s.Residency.EU.allowedRegions]);
  });

  test('GIVEN applyResidency after the constructs THEN the SBOM records the residency', () => {
    const scope = chart();
    new k8s.CanaryEndpoint(scope, 'Fraud', { model: MODEL, image: IMAGE });
    k8s.applyResidency(scope, k8s.Residency.EU);
    scope.toJson();
    const properties = JSON.parse(AppSbom.of(scope).toJson()).metadata.component.properties;
    expect(properties).toContainEqual({ name: 'ml-platform:residency', value: 'eu' });
  });
});

describe('finding 2: user strings reaching JSONata, IAM and PromQL', () => {
  test('GIVEN a quote in an S3 prefix THEN the run layout is a JSONata string that evaluates to the prefix', async () => {
    const expression = `'${RUN_LAYOUT.inputPrefix(inJsonata({ bucket: 'fraud-data-eu', prefix: 'it\'s/' }), '\' & $runDate & \'')}'`;
    expect(await jsonata(expression).evaluate({}, { runDate: '2026-11-01' })).toBe('it\'s/run_date=2026-11-01/');
  });

  test('GIVEN a JSONata delimiter in an S3 prefix THEN an MlPlatformError names inputUri', () => {
    const { stack, notifications } = awsStack();
    const error = thrownBy(() => new aws.BatchScoringPipeline(stack, 'Scoring', { ...BATCH, notifications, inputUri: 's3://fraud-data-eu/{%x%}/' }));
    expect(error.message).toBe('Serving/Scoring: invalid inputUri "s3://fraud-data-eu/{%x%}/". '
      + 'Allowed: a prefix that can be granted exactly in IAM ("{%" and "%}" delimit Step Functions JSONata expressions). Fix: rename the prefix');
  });

  test('GIVEN an IAM wildcard in an S3 prefix THEN an MlPlatformError names inputUri', () => {
    expect(thrownBy(() => new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, inputUri: 's3://fraud-data-eu/a*/' })).prop).toBe('inputUri');
  });
});

describe('finding 3: reserved and non-string environment variables in batch', () => {
  test.each(['MODEL_NAME', 'ROW_COUNT_TOLERANCE', 'MODEL_URI', 'RUN_ID'])('GIVEN environment.%s THEN an MlPlatformError names it', (name) => {
    const error = thrownBy(() => new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, environment: { [name]: 'mine' } }));
    expect(error.prop).toBe(`environment.${name}`);
    expect(error.message).toContain('other than RUN_DATE, RUN_ID, INPUT_PREFIX, OUTPUT_PREFIX, SHARD_INDEX, SHARD_COUNT, MODEL_URI, MODEL_NAME, MODEL_VERSION, ROW_COUNT_TOLERANCE');
  });

  test('GIVEN a number as an environment value THEN an MlPlatformError names the variable', () => {
    const error = thrownBy(() => new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, environment: { THREADS: 4 as any } }));
    expect(error.message).toBe('platform/Scoring: invalid environment.THREADS 4. Allowed: a string value. Fix: give THREADS as a string, e.g. "4"');
  });
});

describe('finding 4: closed sets', () => {
  test.each([['batchStrategy', 'multi', '"MultiRecord", "SingleRecord"'], ['splitType', 'CSV', '"Line", "None", "RecordIO", "TFRecord"']])(
    'GIVEN %s %p THEN an MlPlatformError lists the allowed values', (prop, value, allowed) => {
      const { stack, notifications } = awsStack();
      const error = thrownBy(() => new aws.BatchScoringPipeline(stack, 'Scoring', { ...BATCH, notifications, [prop]: value }));
      expect(error.message).toBe(`Serving/Scoring: invalid ${prop} "${value}". Allowed: one of ${allowed}. Fix: use one of those, spelled exactly so`);
    });
});

describe('finding 5: names and values Kubernetes or Prometheus refuse', () => {
  test('GIVEN name "1fraud" THEN an MlPlatformError says a Service name starts with a letter', () => {
    const error = thrownBy(() => new k8s.CanaryEndpoint(chart(), 'Fraud', { model: MODEL, image: IMAGE, name: '1fraud' }));
    expect(error.message).toBe('platform/Fraud: invalid name "1fraud". Allowed: an RFC 1035 label (a Service name): lowercase letters, digits and "-", '
      + 'starting with a letter and ending with a letter or digit, at most 56 characters (Services add "-stable" and "-canary"). Fix: rename, e.g. "fraud"');
  });

  test('GIVEN a chart id "2024" THEN the derived name is a valid Service name', () => {
    const endpoint = new k8s.CanaryEndpoint(chart('2024'), 'Fraud', { model: MODEL, image: IMAGE });
    expect(endpoint.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });

  test.each([
    ['serverMetrics.requestsTotal', { serverMetrics: { requestsTotal: 'http-requests total' } }],
    ['serverMetrics.requestsTotal', { serverMetrics: { requestsTotal: '0' } }],
    ['serverMetrics.path', { serverMetrics: { path: '/has space' } }],
    ['prometheusAddress', { prometheusAddress: 'http://prom:99999' }],
    ['trafficRouting.istioVirtualService', { trafficRouting: { istioVirtualService: 'UPPER_vs' } }],
    ['resources.cpuMillis', { resources: { cpuMillis: 1e21 } }],
  ])('GIVEN an invalid %s THEN an MlPlatformError names it', (prop, props) => {
    expect(thrownBy(() => new k8s.CanaryEndpoint(chart(), 'Fraud', { model: MODEL, image: IMAGE, ...props })).prop).toBe(prop);
  });

  test.each([['ML Platform'], ['n'.repeat(64)]])('GIVEN the Pulumi namespace %p THEN an MlPlatformError names namespace', (namespace) => {
    const error = thrownBy(() => new pulumi.CanaryEndpoint('fraud', { model: MODEL, image: IMAGE, namespace }));
    expect(error.prop).toBe('namespace');
    expect(error.message).toMatch(/^ml-platform:serving:CanaryEndpoint fraud: invalid namespace /);
  });
});

describe('finding 6: duplicate names', () => {
  test('GIVEN two CanaryEndpoints named fraud in one chart THEN an MlPlatformError names both', () => {
    const scope = chart();
    new k8s.CanaryEndpoint(scope, 'First', { model: MODEL, image: IMAGE, name: 'fraud' });
    const error = thrownBy(() => new k8s.CanaryEndpoint(scope, 'Second', { model: MODEL, image: IMAGE, name: 'fraud' }));
    expect(error.message).toBe('platform/Second: invalid name "fraud". Allowed: a name no other construct uses in namespace "(the default)": '
      + 'platform/First already creates objects named "fraud". Fix: give one of platform/First and platform/Second another name');
  });

  test('GIVEN an endpoint and a pipeline both named fraud in one chart THEN an MlPlatformError names the pipeline\'s name', () => {
    const scope = chart();
    new k8s.CanaryEndpoint(scope, 'Endpoint', { model: MODEL, image: IMAGE, name: 'fraud' });
    expect(thrownBy(() => new k8s.BatchScoringPipeline(scope, 'Scoring', { ...BATCH, name: 'fraud' })).message).toContain('platform/Endpoint already creates objects named "fraud"');
  });

  test('GIVEN endpointName fraud in two stacks of one app THEN an MlPlatformError names both', () => {
    const first = awsStack(new App(), 'One');
    new aws.CanaryEndpoint(first.stack, 'Fraud', { model: MODEL, image: IMAGE, notifications: first.notifications, endpointName: 'fraud' });
    const second = awsStack(first.app, 'Two');
    const error = thrownBy(() => new aws.CanaryEndpoint(second.stack, 'Fraud', { model: MODEL, image: IMAGE, notifications: second.notifications, endpointName: 'fraud' }));
    expect(error.message).toBe('Two/Fraud: invalid endpointName "fraud". Allowed: a SageMaker endpoint name no other construct of the app uses in the same account and region: '
      + 'One/Fraud already uses "fraud". Fix: give one of One/Fraud and Two/Fraud another endpointName');
  });
});

describe('finding 7: service limits', () => {
  const endpoint = (props: Record<string, unknown>) => {
    const { stack, notifications } = awsStack();
    return () => new aws.CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, ...props });
  };

  test('GIVEN 100 user environment variables THEN CreateModel\'s limit of 100 with MODEL_NAME and MODEL_VERSION is named', () => {
    const environment = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`VAR_${index}`, 'x']));
    expect(thrownBy(endpoint({ environment })).message).toBe('Serving/Fraud: invalid environment "100 variables". '
      + 'Allowed: at most 98 variables besides the 2 the construct sets (SageMaker CreateModel, ContainerDefinition: at most 100). Fix: combine settings into fewer variables');
  });

  test('GIVEN an environment value of 1,025 characters THEN an MlPlatformError names the variable', () => {
    expect(thrownBy(endpoint({ environment: { LONG: 'v'.repeat(1025) } })).prop).toBe('environment.LONG');
  });

  test('GIVEN a model name of 2,000 characters THEN an MlPlatformError names model', () => {
    const model = aws.ModelArtifact.fromUri('s3://models-eu/fraud/model.tar.gz', { name: 'm'.repeat(2000) });
    expect(thrownBy(endpoint({ model })).prop).toBe('model');
  });

  test('GIVEN a validator and an environment value over 256 characters THEN CreateProcessingJob\'s limit is named', () => {
    const { stack, notifications } = awsStack();
    const error = thrownBy(() => new aws.BatchScoringPipeline(stack, 'Scoring', {
      ...BATCH, notifications, environment: { LONG: 'v'.repeat(300) }, validation: { validatorImage: VALIDATOR },
    }));
    expect(error.prop).toBe('environment.LONG');
    expect(error.allowed).toBe('a value of at most 256 characters, 300 given (SageMaker CreateProcessingJob, Environment)');
  });

  test('GIVEN an image repository of 256 characters THEN ContainerImage refuses it', () => {
    const error = thrownBy(() => aws.ContainerImage.fromDigest(`registry.example.com/${'r'.repeat(236)}@sha256:${'a'.repeat(64)}`));
    expect(error.message).toMatch(/^ContainerImage\.fromDigest: invalid reference .* Allowed: a registry and repository name of at most 255 characters\./);
  });

  test('GIVEN the cron 0 2 31 2 * THEN an MlPlatformError says it never fires', () => {
    const error = thrownBy(() => new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, schedule: { cron: '0 2 31 2 *' } }));
    expect(error.message).toBe('platform/Scoring: invalid schedule.cron "0 2 31 2 *". Allowed: a schedule that fires: its days of the month exist in at least one of its months. '
      + 'Fix: e.g. "0 2 28 2 *" for the 28th of February');
  });

  test.each([['a..b', 'no two adjacent periods'], ['192.168.5.4', 'not formatted as an IP address'], ['xn--fraud', 'not starting with "xn--", "sthree-" or "amzn-s3-demo-"']])(
    'GIVEN the bucket %s THEN the S3 rule it breaks is named', (bucket, rule) => {
      const error = thrownBy(() => new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, inputUri: `s3://${bucket}/x/` }));
      expect(error.prop).toBe('inputUri');
      expect(error.allowed).toContain(`("${bucket}" breaks: ${rule})`);
    });

  test('GIVEN a prefix over 1,024 bytes with the run layout THEN an MlPlatformError names outputUri', () => {
    const error = thrownBy(() => new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, outputUri: `s3://fraud-data-eu/${'é'.repeat(500)}/` }));
    expect(error.allowed).toBe('a prefix of at most 824 bytes (S3 keys are at most 1024 bytes, and the run layout adds up to 200)');
  });
});

describe('finding 8: legal construct ids', () => {
  const roleDescriptions = (stack: Stack): string[] => Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))
    .map((role: any) => role.Properties.Description).filter((description) => description !== undefined);

  test('GIVEN the id 名前 THEN the endpoint synthesizes with role descriptions IAM accepts', () => {
    const { stack, notifications } = awsStack();
    new aws.CanaryEndpoint(stack, '名前', { model: MODEL, image: IMAGE, notifications });
    expect(roleDescriptions(stack)).toContain('Runs the model of Serving/??');
  });

  test('GIVEN an id of 1,100 characters THEN every role description fits IAM\'s 1,000', () => {
    const { stack, notifications } = awsStack();
    new aws.CanaryEndpoint(stack, 'x'.repeat(1100), { model: MODEL, image: IMAGE, notifications });
    expect(Math.max(...roleDescriptions(stack).map((description) => description.length))).toBe(1000);
  });

  test('GIVEN an id of 300 characters THEN the record counter\'s description fits Lambda\'s 256', () => {
    const { stack, notifications } = awsStack();
    new aws.BatchScoringPipeline(stack, 'y'.repeat(300), { ...BATCH, notifications });
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    expect(functions.map((fn) => fn.Properties.Description.length)).toEqual([256]);
  });

  const storeRoleDescriptions = (id: string): string[] => {
    const { stack, notifications } = awsStack(new App({ context: { featureStoreLock: 'update' } }));
    new aws.FeatureStore(stack, id, { ...FRAUD_FEATURES, schemaLock: aws.FeatureSchemaLock.inMemory(), notifications });
    return roleDescriptions(stack);
  };

  test('GIVEN the feature store id 名前 THEN its offline store role\'s description is in the characters IAM accepts', () => {
    expect(storeRoleDescriptions('名前')).toEqual(['SageMaker writes the offline store of Serving/??']);
  });

  test('GIVEN a feature store id of 1,100 characters THEN its offline store role\'s description fits IAM\'s 1,000', () => {
    expect(storeRoleDescriptions('z'.repeat(1100)).map((description) => description.length)).toEqual([1000]);
  });

  test('GIVEN the Pulumi name Fraud_Endpoint THEN a valid Service name is derived', () => {
    expect(new pulumi.CanaryEndpoint('Fraud_Endpoint', { model: MODEL, image: IMAGE }).name).toMatch(/^fraud-endpoint-[0-9a-f]{8}$/);
  });
});

describe('crashes a plain-JavaScript user met', () => {
  test.each([
    ['validation.validatorImage', { validation: { validatorImage: 'registry/validator:1' } }],
    ['publisherImage', { publisherImage: {} }],
    ['image', { image: 'registry/score@sha256:abc' }],
  ])('GIVEN a non-ContainerImage %s THEN an MlPlatformError names it', (prop, props) => {
    expect(thrownBy(() => new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, ...props } as any)).prop).toBe(prop);
  });

  test('GIVEN a non-ContainerImage modelLoader THEN an MlPlatformError names it', () => {
    expect(thrownBy(() => new k8s.CanaryEndpoint(chart(), 'Fraud', { model: MODEL, image: IMAGE, modelLoader: 'loader' as any })).prop).toBe('modelLoader');
  });

  test('GIVEN a Pulumi residency that is not a Residency THEN an MlPlatformError names residency', () => {
    expect(thrownBy(() => new pulumi.CanaryEndpoint('fraud', { model: MODEL, image: IMAGE, residency: 'EU' as any })).prop).toBe('residency');
  });

  test('GIVEN a Pulumi Output where a plain value is needed THEN an MlPlatformError names the prop', () => {
    const { output } = jest.requireActual('@pulumi/pulumi');
    const error = thrownBy(() => new pulumi.CanaryEndpoint('fraud', { model: MODEL, image: IMAGE, prometheusAddress: output('http://prom:9090') }));
    expect(error.prop).toBe('prometheusAddress');
  });

  test.each([
    ['notifications', { notifications: {} }],
    ['encryptionKey', { encryptionKey: 'arn:aws:kms:eu-west-1:123456789012:key/abc' }],
    ['rollbackAlarms', { rollbackAlarms: 'alarm' }],
    ['endpointName', { endpointName: 42 }],
  ])('GIVEN a wrong type for %s on AWS THEN an MlPlatformError names it', (prop, props) => {
    const { stack, notifications } = awsStack();
    expect(thrownBy(() => new aws.CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, ...props } as any)).prop).toBe(prop);
  });

  test('GIVEN allowMutableTag that is not a string THEN an MlPlatformError names it', () => {
    expect(thrownBy(() => aws.ContainerImage.fromTag('registry.example.com/x:1', { allowMutableTag: 5 as any })).prop).toBe('allowMutableTag');
  });

  test('GIVEN a version that is not a string THEN an MlPlatformError names it', () => {
    expect(thrownBy(() => aws.ModelArtifact.fromUri('s3://models-eu/fraud/model.tar.gz', { version: 1.4 as any })).prop).toBe('version');
  });

  test('GIVEN allAtOnceReason that is not a string THEN an MlPlatformError names it', () => {
    const error = thrownBy(() => new k8s.CanaryEndpoint(chart(), 'Fraud', { model: MODEL, image: IMAGE, trafficShift: { kind: 'all-at-once', allAtOnceReason: 1 as any } }));
    expect(error.prop).toBe('trafficShift.allAtOnceReason');
  });
});

describe('unclear messages', () => {
  test.each([[Number.NaN, 'NaN'], [Number.POSITIVE_INFINITY, 'Infinity'], [Number.NEGATIVE_INFINITY, '-Infinity']])('GIVEN %p THEN the message shows %s', (value, shown) => {
    const error = thrownBy(() => new k8s.CanaryEndpoint(chart(), 'Fraud', { model: MODEL, image: IMAGE, trafficShift: { bakeMinutes: value } }));
    expect(error.message).toMatch(new RegExp(`^platform/Fraud: invalid trafficShift\\.bakeMinutes ${shown.replace('+', '\\+')}\\. Allowed: a whole number from 1 to 60`));
  });

  test('GIVEN a number token for terminationWaitMinutes THEN the message says why it must be known, never its literal', () => {
    const { stack, notifications } = awsStack();
    const wait = new CfnParameter(stack, 'Wait', { type: 'Number' }).valueAsNumber;
    const error = thrownBy(() => new aws.CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, terminationWaitMinutes: wait }));
    expect(error.message).toBe('Serving/Fraud: invalid terminationWaitMinutes (a value known only at deployment). '
      + 'Allowed: a value known at synthesis (the wait in seconds and the deployment timeout are computed from it). '
      + 'Fix: give terminationWaitMinutes as a literal, not a CloudFormation parameter, attribute or Pulumi output');
  });

  test('GIVEN a token for dataCapture.samplingPercent THEN it is accepted and recorded as unchecked', () => {
    const { stack, notifications } = awsStack();
    const percent = new CfnParameter(stack, 'Percent', { type: 'Number' }).valueAsNumber;
    const endpoint = new aws.CanaryEndpoint(stack, 'Fraud', { model: MODEL, image: IMAGE, notifications, dataCapture: { samplingPercent: percent } });
    expect(endpoint.node.metadata.map((entry) => entry.data)).toContain(
      'dataCapture.samplingPercent: known only at deployment, so not checked at synthesis (a whole number from 1 to 100 (SageMaker samples 0-100 %; 0 would capture nothing))');
  });

  test('GIVEN a token for schedule.timeZone THEN it is accepted and recorded in the plan', () => {
    const { stack, notifications } = awsStack();
    const timeZone = new CfnParameter(stack, 'Zone').valueAsString;
    const pipeline = new aws.BatchScoringPipeline(stack, 'Scoring', { ...BATCH, notifications, schedule: { cron: '0 2 * * *', timeZone } });
    expect(pipeline.plan.unchecked).toEqual([expect.stringMatching(/^schedule\.timeZone: known only at deployment, so not checked at synthesis/)]);
  });

  test('GIVEN a bucket token in ModelArtifact.fromUri THEN the message shows no token text', () => {
    const error = thrownBy(() => aws.ModelArtifact.fromUri(`s3://${Token.asString({ Ref: 'Bucket' })}/model.tar.gz`));
    expect(error.message).toMatch(/^ModelArtifact\.fromUri: invalid uri \(a value known only at deployment\)\. Allowed: a URI known at synthesis/);
  });
});

describe('valid input once refused', () => {
  test.each(['Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'Asia/Ho_Chi_Minh', 'Etc/UTC', 'GMT', 'US/Pacific', 'CET', 'EST'])(
    'GIVEN the time zone %s THEN the pipeline accepts it', (timeZone) => {
      const pipeline = new k8s.BatchScoringPipeline(chart(), 'Scoring', { ...BATCH, schedule: { cron: '0 2 * * *', timeZone } });
      expect(pipeline.plan.schedule.timeZone).toBe(timeZone);
    });

  test('GIVEN the construct id Fraud_Endpoint on Kubernetes THEN a valid name is derived', () => {
    expect(new k8s.CanaryEndpoint(chart(), 'Fraud_Endpoint', { model: MODEL, image: IMAGE }).name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });
});
