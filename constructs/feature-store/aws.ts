import { Aws, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { TrainingSetWorkflow, type TrainingSetSpec } from './aws-training-set';
import { type FeatureStorePlan, type FeatureStorePlanProps, type PlannedFeatureGroup, planFeatureStore } from './plan';
import { FeatureSchemaLock, guardSchema, lockedSchema, lockMode } from './schema-lock';
import {
  acknowledgeWildcardResource, DataBucket, EncryptionKey, fitDescription,
  fitDescriptionsBelow, type OwnerNotifications, ownedDescription, PlatformServices, StackSbom,
} from '../../lib/aws';
import { FEATURE_GROUP_READ, FEATURE_GROUP_WRITE, OFFLINE_STORE_WRITE } from '../../lib/aws/contracts/feature-store';
import { grantContract } from '../../lib/aws/service-contracts';
import { trustedServicePrincipal } from '../../lib/aws/service-principals';
import { isUnresolved, MlPlatformError, PLATFORM_DATA_LAYOUT, PLATFORM_TAGS } from '../../lib/core';

/** Props for the AWS `FeatureStore`. */
export interface FeatureStoreProps extends FeatureStorePlanProps {
  /**
   * The key of the online stores, the offline store, the Athena results and the training sets.
   * @default - the platform's key under an `MlPlatform`; otherwise a new `EncryptionKey` (rotation on, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The bucket of the offline store and the training sets (under `features/<storeName>/`).
   * @default - the platform's data bucket under an `MlPlatform`; otherwise a new `DataBucket`
   */
  readonly dataBucket?: s3.IBucket;
  /**
   * Who hears about stale groups: the freshness alarms go to this topic.
   * @default - the platform owner's topic under an `MlPlatform`; required outside one
   */
  readonly notifications?: OwnerNotifications;
  /**
   * The online store tier of every group with an online store.
   * @default 'Standard' - the general-purpose tier; 'InMemory' (ElastiCache-backed) is for very low latency at a higher price
   */
  readonly onlineStorageType?: 'Standard' | 'InMemory';
  /**
   * The reviewed record of each group's deployed schema. Synthesis refuses removals, renames, type changes and
   * create-only changes, and records additions only with the context `featureStoreLock=update`.
   * @default FeatureSchemaLock.file('feature-store.lock.json') - beside cdk.json
   */
  readonly schemaLock?: FeatureSchemaLock;
  /**
   * Point-in-time training sets, each built on demand by its own state machine.
   * @default - none
   */
  readonly trainingSets?: readonly TrainingSetSpec[];
}

// SageMaker Feature Store's runtime metrics: AWS/SageMaker, dimensions FeatureGroupName and OperationName
// (https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html#cloudwatch-metrics-feature-store).
const FEATURE_STORE_NAMESPACE = 'AWS/SageMaker';
// The offline store's table format: Iceberg compacts small files and keeps Athena scans of the store fast.
const DEFAULT_TABLE_FORMAT = 'Iceberg';
const RUNBOOK = 'feature-store';
// Above the default priority (100) of the platform's and the user's tags, so their changes never reach a group.
const LOCKED_TAG_PRIORITY = 300;

/**
 * Online and offline features on AWS: one SageMaker feature group per definition (online store Standard by default,
 * encrypted with the platform's key, TTL when set; offline store as an Iceberg table in a Glue database, data under
 * `features/<storeName>/offline/` of the platform's bucket), an encrypted Athena workgroup with enforced settings,
 * a freshness alarm per group, and one state machine per training set. Every group is retained when the stack is
 * deleted, and the schema lock refuses any change that would replace or shrink a group.
 */
export class FeatureStore extends Construct {
  /** The resolved plan. */
  public readonly plan: FeatureStorePlan;
  /** The feature groups by name. */
  public readonly featureGroups: Readonly<Record<string, sagemaker.CfnFeatureGroup>>;
  /** The Glue database of the offline tables. */
  public readonly database: glue.CfnDatabase;
  /** The Athena workgroup for queries of the offline store. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The role SageMaker writes the offline store with. */
  public readonly offlineStoreRole: iam.Role;
  /** Its policy, created before any group so that CreateFeatureGroup finds the permissions in place. */
  public readonly offlineStorePolicy: iam.ManagedPolicy;
  /** The freshness alarms by group name. */
  public readonly freshnessAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The training-set state machines by name. */
  public readonly trainingSets: Readonly<Record<string, TrainingSetWorkflow>>;
  /** The key of everything the store keeps. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket of the offline store. */
  public readonly dataBucket: s3.IBucket;
  /** The store's prefix in the bucket. */
  public readonly prefix: string;

  public constructor(scope: Construct, id: string, props: FeatureStoreProps) {
    super(scope, id);
    this.plan = planFeatureStore(this, props);
    const plan = this.plan;
    const platform = PlatformServices.join(this, { kind: 'FeatureStore' });
    // Descriptions derived from the construct path fit each service's limits and character set, whatever the ids.
    fitDescriptionsBelow(this);
    const storageType = props.onlineStorageType ?? 'Standard';
    if (storageType !== 'Standard' && storageType !== 'InMemory') {
      this.fail('onlineStorageType', storageType, '"Standard" or "InMemory"', 'use one of those, spelled exactly so');
    }
    for (const group of plan.groups) {
      const list = group.features.find((feature) => feature.list);
      if (list) {
        this.fail(`featureGroups[${group.name}].features.${list.name}.list`, true,
          'no lists on AWS: CloudFormation\'s AWS::SageMaker::FeatureGroup FeatureDefinition has no collection type', 'store the list as a string (e.g. JSON), or leave list unset');
      }
    }
    this.encryptionKey = props.encryptionKey ?? platform?.encryptionKey ?? new EncryptionKey(this, 'Key', { description: `Feature store key for ${this.node.path}` }).key;
    this.dataBucket = props.dataBucket ?? platform?.dataBucket ?? new DataBucket(this, 'Data', { encryptionKey: this.encryptionKey, datasetName: `${plan.storeName}-features` }).bucket;
    this.prefix = PLATFORM_DATA_LAYOUT.featureStore(plan.storeName);
    const offlinePrefix = `${this.prefix}offline/`;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: plan.projectName, description: `Offline store of feature store ${plan.storeName}` },
    });
    this.database.applyRemovalPolicy(RemovalPolicy.RETAIN);
    [this.offlineStoreRole, this.offlineStorePolicy] = this.createOfflineStoreRole(offlinePrefix);

    const lock = props.schemaLock ?? FeatureSchemaLock.file();
    // Tags are create-only on a feature group: the group's tags are fixed here (and locked), above the platform's.
    const groupTags: Record<string, string> = platform
      ? { [PLATFORM_TAGS.team]: platform.owner.team, [PLATFORM_TAGS.construct]: 'FeatureStore' }
      : {};
    const offlineUri = `s3://${this.dataBucket.bucketName}/${offlinePrefix}`;
    guardSchema(this, 'aws', plan, Object.fromEntries(plan.groups.map((group) => [group.name, lockedSchema(group, {
      onlineStorageType: group.online ? storageType : '',
      // The key, role and bucket by construct path: their ARNs are known only at deployment, and a new construct is a new resource.
      onlineKey: group.online ? keyIdentity(this.encryptionKey) : '',
      offlineStore: group.offline ? `${isUnresolved(this.dataBucket.bucketName) ? this.dataBucket.node.path : this.dataBucket.bucketName}/${offlinePrefix} `
        + `${DEFAULT_TABLE_FORMAT} ${plan.projectName}.${group.tableName} key ${keyIdentity(this.encryptionKey)}` : '',
      role: group.offline ? this.offlineStoreRole.node.path : '',
      tags: Object.entries(groupTags).map(([key, value]) => `${key}=${value}`).join(' '),
    })])), lock, lockMode(this));

    const groups: Record<string, sagemaker.CfnFeatureGroup> = {};
    const alarms: Record<string, cloudwatch.Alarm> = {};
    for (const group of plan.groups) {
      const resource = new sagemaker.CfnFeatureGroup(this, group.name, {
        featureGroupName: group.name,
        recordIdentifierFeatureName: group.recordIdentifier,
        eventTimeFeatureName: group.eventTime,
        description: group.description,
        featureDefinitions: group.features.map((feature) => ({ featureName: feature.name, featureType: SAGEMAKER_TYPES[feature.type] })),
        // Both configurations are untyped JSON in aws-cdk-lib: CloudFormation's own property names.
        onlineStoreConfig: group.online ? {
          EnableOnlineStore: true,
          StorageType: storageType,
          SecurityConfig: { KmsKeyId: this.encryptionKey.keyArn },
          TtlDuration: group.ttl ? { Unit: group.ttl.unit, Value: group.ttl.value } : undefined,
        } : undefined,
        offlineStoreConfig: group.offline ? {
          S3StorageConfig: { S3Uri: offlineUri, KmsKeyId: this.encryptionKey.keyArn },
          TableFormat: DEFAULT_TABLE_FORMAT,
          DataCatalogConfig: { Catalog: 'AwsDataCatalog', Database: plan.projectName, TableName: group.tableName },
        } : undefined,
        roleArn: group.offline ? this.offlineStoreRole.roleArn : undefined,
      });
      for (const [key, value] of Object.entries(groupTags)) {
        Tags.of(resource).add(key, value, { priority: LOCKED_TAG_PRIORITY });
      }
      // Feature groups hold the online data and point at the offline data: both outlive the stack.
      resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
      resource.node.addDependency(this.database);
      if (group.offline) {
        resource.node.addDependency(this.offlineStorePolicy);
      }
      groups[group.name] = resource;
      alarms[group.name] = this.freshnessAlarm(group);
    }
    this.featureGroups = groups;
    this.freshnessAlarms = alarms;
    const notifications = props.notifications ?? platform?.notifications
      ?? this.fail('notifications', undefined, 'an OwnerNotifications topic, or the store created under an MlPlatform (which supplies its owner\'s topic)',
        'pass notifications: new OwnerNotifications(...), or create the store inside an MlPlatform');
    notifications.notifyOn(...Object.values(alarms));

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${plan.storeName}-${Stack.of(this).region}`.slice(0, 128),
      description: `Queries of feature store ${plan.storeName}`,
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        // Enforced: a query cannot send its results elsewhere or unencrypted.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.dataBucket.bucketName}/${this.prefix}athena-results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.encryptionKey.keyArn },
        },
      },
    });
    this.workGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const trainingSets: Record<string, TrainingSetWorkflow> = {};
    for (const [index, spec] of (props.trainingSets ?? []).entries()) {
      trainingSets[spec.name] = new TrainingSetWorkflow(this, `TrainingSet${index}`, {
        spec, prop: `trainingSets[${index}]`, plan, workGroup: this.workGroup, bucket: this.dataBucket, prefix: this.prefix, encryptionKey: this.encryptionKey,
      });
    }
    this.trainingSets = trainingSets;
    this.recordInSbomAndCatalog(offlineUri);
  }

  /** Lets `grantee` write records (PutRecord) to the groups named, or to every group. */
  public grantWrite(grantee: iam.IGrantable, ...groupNames: string[]): iam.Grant {
    return grantContract(grantee, FEATURE_GROUP_WRITE, [...this.groupArns(groupNames, 'grantWrite'), this.encryptionKey.keyArn]);
  }

  /** Lets `grantee` read records (GetRecord, BatchGetRecord) of the groups named, or of every group with an online store. */
  public grantRead(grantee: iam.IGrantable, ...groupNames: string[]): iam.Grant {
    return grantContract(grantee, FEATURE_GROUP_READ, [...this.groupArns(groupNames, 'grantRead'), this.encryptionKey.keyArn]);
  }

  private groupArns(names: string[], method: string): string[] {
    const online = this.plan.groups.filter((group) => group.online).map((group) => group.name);
    for (const name of names) {
      if (!online.includes(name)) {
        this.fail(`${method}(${name})`, name, `a group with an online store: ${online.map((group) => JSON.stringify(group)).join(', ')}`, 'name one of those');
      }
    }
    return (names.length ? names : online).map((name) => Stack.of(this).formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: name.toLowerCase() }));
  }

  private createOfflineStoreRole(offlinePrefix: string): [iam.Role, iam.ManagedPolicy] {
    const role = new iam.Role(this, 'OfflineStoreRole', {
      assumedBy: trustedServicePrincipal(this, 'sagemaker'),
      description: fitDescription('iamRole', `SageMaker writes the offline store of ${this.node.path}`),
    });
    const stack = Stack.of(this);
    const objects = this.dataBucket.arnForObjects(`${offlinePrefix}*`);
    const byPrefix: Record<string, string[]> = {
      's3:': [objects],
      'kms:': [this.encryptionKey.keyArn],
      'glue:': [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.plan.projectName }),
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.plan.projectName}/*` }),
      ],
    };
    // A managed policy of this role alone (no inline policy): SageMaker checks it when the group is created.
    const policy = new iam.ManagedPolicy(this, 'OfflineStorePolicy', { roles: [role], description: `Offline store writes of ${this.node.path}` });
    for (const [prefix, resources] of Object.entries(byPrefix)) {
      const actions = OFFLINE_STORE_WRITE.callerActions.filter((action) => action.startsWith(prefix) && !BUCKET_ACTIONS.includes(action));
      policy.addStatements(new iam.PolicyStatement({ actions, resources }));
    }
    policy.addStatements(new iam.PolicyStatement({ actions: BUCKET_ACTIONS, resources: [this.dataBucket.bucketArn] }));
    acknowledgeWildcardResource(policy, objects, 'runtimeObjectKeys');
    acknowledgeWildcardResource(policy, byPrefix['glue:'][2], 'runtimeObjectKeys');
    return [role, policy];
  }

  private freshnessAlarm(group: PlannedFeatureGroup): cloudwatch.Alarm {
    // Periods of up to a day are one period; longer bounds are counted in hours (an alarm evaluates at most 7 days).
    const periodMinutes = group.freshnessMinutes <= 1440 ? group.freshnessMinutes : 60;
    const evaluationPeriods = Math.ceil(group.freshnessMinutes / periodMinutes);
    const id = `${group.name}Freshness`;
    return new cloudwatch.Alarm(this, id, {
      metric: new cloudwatch.Metric({
        namespace: FEATURE_STORE_NAMESPACE,
        metricName: 'Invocations',
        dimensionsMap: { FeatureGroupName: group.name, OperationName: 'PutRecord' },
        statistic: 'Sum',
        period: Duration.minutes(periodMinutes),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      // No writes at all is exactly the staleness this alarm exists for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: ownedDescription(this, id, `${this.node.path}: no record written to feature group ${group.name} for ${group.freshnessMinutes} minutes; `
        + 'its newest event time is at least that old and models read stale features.', `${RUNBOOK}/stale-group`),
    });
  }

  private recordInSbomAndCatalog(offlineUri: string): void {
    const sbom = StackSbom.of(this);
    const store = sbom.addService({ name: this.node.path.replace(/\//g, '-'), description: `Feature store ${this.plan.storeName}` });
    const datasets = this.plan.groups.map((group) => sbom.addDataset({
      name: `${this.plan.storeName}/${group.name}`,
      uri: group.offline && !isUnresolved(offlineUri) ? `${offlineUri}${group.tableName}/` : undefined,
      description: group.description ?? `Feature group ${group.name} (${group.features.length} features, entity ${group.entity.name})`,
    }));
    sbom.addDependency(store, ...datasets);
    const platform = PlatformServices.of(this);
    if (platform) {
      for (const group of this.plan.groups) {
        platform.catalog.addNode({
          id: `${this.node.path}/${group.name}`,
          kind: 'feature-group',
          name: group.name,
          owner: platform.owner.team,
          engine: 'aws',
          location: group.offline ? `glue:${this.plan.projectName}.${group.tableName}` : `sagemaker:feature-group/${group.name}`,
          properties: {
            entity: group.entity.name, features: String(group.features.length), online: String(group.online), offline: String(group.offline),
          },
        });
      }
    }
  }

  private fail(prop: string, value: unknown, allowed: string, fix: string): never {
    throw new MlPlatformError({ scope: this, prop, value, allowed, fix });
  }
}

const SAGEMAKER_TYPES = { integral: 'Integral', fractional: 'Fractional', string: 'String' } as const;
// Bucket-level actions of the offline store role (the rest are on the store's objects).
const BUCKET_ACTIONS = ['s3:GetBucketAcl', 's3:ListBucket'];

function keyIdentity(key: kms.IKey): string {
  return isUnresolved(key.keyArn) ? key.node.path : key.keyArn;
}
