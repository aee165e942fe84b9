import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FRAUD_FEATURES } from './fixtures';
import { BatchScoringPipeline } from '../../constructs/batch-scoring-pipeline/aws';
import { CanaryEndpoint } from '../../constructs/canary-endpoint/aws';
import { FeatureStore, type FeatureStoreProps } from '../../constructs/feature-store/aws';
import { FeatureSchemaLock } from '../../constructs/feature-store/schema-lock';
import { MlPlatform } from '../../constructs/ml-platform/aws';
import { applyResidency, EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { Residency } from '../../lib/core';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { IMAGE, MODEL } from '../support/canary-fixtures';

const OWNER = { team: 'fraud-ml', email: 'fraud-ml@example.com', runbookBaseUrl: 'https://runbooks.example.com/' };

function storeStack(overrides: Partial<FeatureStoreProps> = {}, app = new App()) {
  applyResidency(app, Residency.EU);
  app.node.setContext('featureStoreLock', 'update');
  const stack = new Stack(app, 'Features', { env: { region: 'eu-west-1', account: '123456789012' } });
  const platform = new MlPlatform(stack, 'Fraud', { owner: OWNER });
  const store = new FeatureStore(platform, 'FraudFeatures', {
    ...FRAUD_FEATURES,
    schemaLock: FeatureSchemaLock.inMemory(),
    trainingSets: [{
      name: 'fraud-training',
      entityDatabase: 'fraud_labels',
      entityTable: 'labels',
      entityLocation: 's3://fraud-labels-eu/labels/',
      timestampColumn: 'label_time',
      passThroughColumns: ['is_fraud'],
      featureGroups: ['customer-spend', 'transaction-risk'],
    }],
    ...overrides,
  });
  return { app, stack, store, platform, template: () => Template.fromStack(stack) };
}

test('GIVEN the fraud features under a platform THEN each group is a retained CfnFeatureGroup with the platform key, Standard online store, TTL and an Iceberg offline store', () => {
  const { template } = storeStack();
  template().hasResource('AWS::SageMaker::FeatureGroup', {
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: Match.objectLike({
      FeatureGroupName: 'customer-spend',
      RecordIdentifierFeatureName: 'customer_id',
      EventTimeFeatureName: 'event_time',
      FeatureDefinitions: [
        { FeatureName: 'customer_id', FeatureType: 'String' }, { FeatureName: 'event_time', FeatureType: 'String' },
        { FeatureName: 'spend_7d', FeatureType: 'Fractional' }, { FeatureName: 'txn_count_7d', FeatureType: 'Integral' },
      ],
      OnlineStoreConfig: { EnableOnlineStore: true, StorageType: 'Standard', SecurityConfig: { KmsKeyId: Match.anyValue() }, TtlDuration: { Unit: 'Days', Value: 7 } },
      OfflineStoreConfig: {
        S3StorageConfig: { S3Uri: Match.anyValue(), KmsKeyId: Match.anyValue() },
        TableFormat: 'Iceberg',
        DataCatalogConfig: { Catalog: 'AwsDataCatalog', Database: 'fraud_features', TableName: 'customer_spend' },
      },
    }),
  });
  template().hasResourceProperties('AWS::SageMaker::FeatureGroup', Match.objectLike({ FeatureGroupName: 'transaction-risk', OnlineStoreConfig: Match.absent() }));
});

test('GIVEN a platform WHEN tags are applied THEN a feature group carries only its locked tags, whatever the platform adds', () => {
  const { template } = storeStack();
  const group = Object.values(template().findResources('AWS::SageMaker::FeatureGroup'))[0] as any;
  expect(group.Properties.Tags).toEqual(expect.arrayContaining([
    { Key: 'ml-platform/construct', Value: 'FeatureStore' }, { Key: 'ml-platform/team', Value: 'fraud-ml' },
  ]));
});

test('GIVEN the store THEN the Athena workgroup enforces KMS-encrypted results under the store prefix on engine 3, retained', () => {
  storeStack().template().hasResource('AWS::Athena::WorkGroup', {
    DeletionPolicy: 'Retain',
    Properties: Match.objectLike({
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: { OutputLocation: Match.anyValue(), EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() } },
      }),
    }),
  });
});

test('GIVEN a group fresh within 26 h THEN its alarm fires when no PutRecord was counted for 26 hours, missing data breaching, owned with a runbook', () => {
  storeStack().template().hasResourceProperties('AWS::CloudWatch::Alarm', Match.objectLike({
    Namespace: 'AWS/SageMaker',
    MetricName: 'Invocations',
    Dimensions: [{ Name: 'FeatureGroupName', Value: 'customer-spend' }, { Name: 'OperationName', Value: 'PutRecord' }],
    // 26 hours are more than a day: counted in 26 hourly periods, all of them empty.
    Period: 3600,
    EvaluationPeriods: 26,
    DatapointsToAlarm: 26,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
    AlarmDescription: Match.stringLikeRegexp('no record written to feature group customer-spend for 1560 minutes.*Runbook: https://runbooks.example.com/feature-store/stale-group'),
  }));
});

test('GIVEN a freshness bound of 90 minutes THEN the alarm is one 90-minute period', () => {
  const groups = [{ ...FRAUD_FEATURES.featureGroups[0], freshnessMinutes: 90 }];
  storeStack({ featureGroups: groups, trainingSets: [] }).template().hasResourceProperties('AWS::CloudWatch::Alarm', Match.objectLike({ Period: 5400, EvaluationPeriods: 1 }));
});

test('GIVEN grantRead and grantWrite THEN the grantee gets exactly GetRecord+BatchGetRecord or PutRecord on the groups, and kms:Decrypt', () => {
  const { stack, store, template } = storeStack();
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  store.grantRead(reader);
  store.grantWrite(writer, 'customer-spend');
  const statements = (role: iam.Role) => {
    const policies = template().findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as any) }] } });
    return Object.values(policies).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
  };
  expect(statements(reader).map((statement: any) => statement.Action)).toEqual([['sagemaker:GetRecord', 'sagemaker:BatchGetRecord', 'kms:Decrypt']]);
  expect(statements(writer).map((statement: any) => statement.Action)).toEqual([['sagemaker:PutRecord', 'kms:Decrypt']]);
  expect(JSON.stringify(statements(writer)[0].Resource)).toContain(':feature-group/customer-spend');
});

test('GIVEN grantRead of an offline-only group THEN it is refused naming the groups that can be read', () => {
  const { stack, store } = storeStack();
  expect(() => store.grantRead(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }), 'transaction-risk')).toThrow(
    'Features/Fraud/FraudFeatures: invalid grantRead(transaction-risk) "transaction-risk". Allowed: a group with an online store: "customer-spend". Fix: name one of those');
});

test('GIVEN a list feature on AWS THEN it is refused (CloudFormation has no collection type)', () => {
  expect(() => storeStack({ featureGroups: [{ name: 'g', entity: 'customer', features: [{ name: 'tags', type: 'string', list: true }] }] })).toThrow(
    'invalid featureGroups[g].features.tags.list true. Allowed: no lists on AWS: CloudFormation\'s AWS::SageMaker::FeatureGroup FeatureDefinition has no collection type.');
});

test('GIVEN a training set THEN its state machine runs UNLOAD of the point-in-time query through Athena .sync, then publishes the manifest with IfNoneMatch', () => {
  const { store, stack } = storeStack();
  const machine = store.trainingSets['fraud-training'].stateMachine;
  const definition = JSON.stringify(stack.resolve((machine.node.defaultChild as any).definitionString));
  expect(definition).toContain(':states:::athena:startQueryExecution.sync');
  expect(definition).toContain('UNLOAD (WITH entity_rows AS');
  expect(definition).toContain('IfNoneMatch');
  expect(store.trainingSets['fraud-training'].query).toContain('JOIN \\"fraud_features\\".\\"customer_spend\\" f'.replace(/\\"/g, '"'));
});

test('GIVEN a training set of an unknown group THEN it is refused naming the offline groups', () => {
  expect(() => storeStack({
    trainingSets: [{ name: 't', entityDatabase: 'd', entityTable: 'l', entityLocation: 's3://bkt-eu/l/', timestampColumn: 'ts', featureGroups: ['nope'] }],
  })).toThrow('Features/Fraud/FraudFeatures: invalid trainingSets[0].featureGroups[0] "nope". Allowed: a group of the store with an offline store: "customer-spend", "transaction-risk". Fix: name one of those');
});

test('GIVEN the store under a platform THEN the stack passes the nag packs and Control Tower controls', () => {
  const app = conformingApp();
  storeStack({}, app);
  expect(() => synthesizeConforming(app)).not.toThrow();
});

test('GIVEN the store outside a platform without notifications THEN it is refused', () => {
  const app = new App();
  app.node.setContext('featureStoreLock', 'update');
  const stack = new Stack(app, 'Alone', { env: { region: 'eu-west-1', account: '123456789012' } });
  expect(() => new FeatureStore(stack, 'FraudFeatures', { ...FRAUD_FEATURES, schemaLock: FeatureSchemaLock.inMemory() })).toThrow(
    'Alone/FraudFeatures: invalid notifications (not set). Allowed: an OwnerNotifications topic, or the store created under an MlPlatform (which supplies its owner\'s topic). '
    + 'Fix: pass notifications: new OwnerNotifications(...), or create the store inside an MlPlatform');
});

test('GIVEN the store outside a platform THEN it builds its own key and bucket and passes the conformance checks', () => {
  const app = conformingApp();
  applyResidency(app, Residency.EU);
  app.node.setContext('featureStoreLock', 'update');
  const stack = new Stack(app, 'Alone', { env: { region: 'eu-west-1', account: '123456789012' } });
  const owner = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'OwnerKey').key });
  new FeatureStore(stack, 'FraudFeatures', { ...FRAUD_FEATURES, schemaLock: FeatureSchemaLock.inMemory(), notifications: owner });
  expect(() => synthesizeConforming(app)).not.toThrow();
  Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 2);
});

test('GIVEN an endpoint and a pipeline reading the fraud features THEN each execution role gets exactly GetRecord and BatchGetRecord on the group, and the stack conforms', () => {
  const app = conformingApp();
  const { stack, store, platform } = storeStack({}, app);
  const endpoint = new CanaryEndpoint(platform, 'Scorer', { model: MODEL, image: IMAGE, featureReads: [{ store, groups: ['customer-spend'] }] });
  const pipeline = new BatchScoringPipeline(platform, 'Nightly', {
    model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *' }, ...platform.pipelineUris('nightly'), featureReads: [{ store }],
  });
  expect(() => synthesizeConforming(app)).not.toThrow();
  const template = Template.fromStack(stack);
  for (const role of [endpoint.execution.role, pipeline.execution.role]) {
    const logicalId = stack.getLogicalId(role.node.defaultChild as any);
    const documents = [
      ...Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p.Properties.Roles).includes(logicalId)).map((p: any) => p.Properties.PolicyDocument),
      ...((template.findResources('AWS::IAM::Role')[logicalId] as any).Properties.Policies ?? []).map((p: any) => p.PolicyDocument),
    ];
    const reads = documents.flatMap((document: any) => document.Statement).filter((statement: any) => JSON.stringify(statement.Action).includes('Record'));
    expect(reads.map((statement: any) => statement.Action)).toEqual([['sagemaker:GetRecord', 'sagemaker:BatchGetRecord', 'kms:Decrypt']]);
    expect(JSON.stringify(reads[0].Resource)).toContain(':feature-group/customer-spend');
  }
});
