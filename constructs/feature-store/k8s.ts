import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { feastRepository } from './feast-repository';
import { type FeatureStorePlan, type FeatureStorePlanProps, planFeatureStore } from './plan';
import { FeatureSchemaLock, guardSchema, lockedSchema, lockMode } from './schema-lock';
import { PropChecks } from '../../lib/core';
import { PlatformServices } from '../../lib/k8s';
import {
  FeatureStore as FeastFeatureStore, FeatureStoreSpecServicesOfflineStorePersistenceFilePvcCreateResourcesRequests as OfflineRequest,
  FeatureStoreSpecServicesOfflineStorePersistenceFileType as OfflineFileType,
  FeatureStoreSpecServicesOnlineStorePersistenceStoreType as OnlineStoreType,
  FeatureStoreSpecServicesRegistryLocalPersistenceFilePvcCreateResourcesRequests as RegistryRequest,
} from '../../lib/k8s/imports/feast.dev';

/** The Redis of the online store: a Secret holding Feast's `online_store` settings for `type: redis`. */
export interface FeastRedisOptions {
  /** The Secret's name, in the store's namespace; its key holds e.g. `connection_string: "redis-master:6379,ssl=true,password=..."`. */
  readonly secretName: string;
  /**
   * The key in the Secret.
   * @default 'redis' - the operator's default, the store type
   */
  readonly secretKeyName?: string;
}

/** When features are materialized from the offline to the online store. */
export interface FeastMaterializationOptions {
  /**
   * A five-field cron expression.
   * @default '0 * * * *' - hourly: online values at most an hour behind the offline store
   */
  readonly schedule?: string;
  /**
   * The IANA time zone the schedule is read in.
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/** Props for the Kubernetes `FeatureStore`. */
export interface FeatureStoreProps extends FeatureStorePlanProps {
  /** The online store's Redis, by Secret reference. */
  readonly onlineStore: FeastRedisOptions;
  /**
   * Scheduled materialization (`feast apply`, then `feast materialize-incremental`), never suspended.
   * @default - hourly, UTC
   */
  readonly materialization?: FeastMaterializationOptions;
  /**
   * The size of the offline store's volume (DuckDB over Parquet files), as a Kubernetes quantity.
   * @default '20Gi'
   */
  readonly offlineStorage?: string;
  /**
   * The size of the registry's volume.
   * @default '1Gi' - the registry holds definitions only
   */
  readonly registryStorage?: string;
  /**
   * The reviewed record of each group's deployed schema (see the AWS flavor); the same lock serves both engines.
   * @default FeatureSchemaLock.file('feature-store.lock.json')
   */
  readonly schemaLock?: FeatureSchemaLock;
}

// Where the operator mounts the offline store's volume; the feature repository is `<mount>/<project>/feature_repo`.
const OFFLINE_MOUNT = '/data/offline';
const REGISTRY_MOUNT = '/data/registry';
const DEFINITIONS_VOLUME = 'feature-definitions';
const DEFAULTS = { schedule: '0 * * * *', timeZone: 'UTC', offlineStorage: '20Gi', registryStorage: '1Gi', secretKeyName: 'redis' } as const;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CRON = /^(\S+\s+){4}\S+$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]{0,251}[a-z0-9])?$/;

/**
 * Online and offline features on Kubernetes through the Feast operator: one `feast.dev/v1` `FeatureStore` (online store
 * in Redis through a Secret, registry and DuckDB offline store on volumes the operator creates) and a ConfigMap holding
 * the feature repository generated from the same typed definitions (`features.py`), mounted into the repository the
 * operator's `feast apply` reads. The operator's CronJob applies the definitions and materializes incrementally on the
 * schedule, never suspended. The schema lock guards the definitions as on AWS.
 */
export class FeatureStore extends Construct {
  /** The resolved plan. */
  public readonly plan: FeatureStorePlan;
  /** The Feast operator's `FeatureStore` resource. */
  public readonly resource: FeastFeatureStore;
  /** The ConfigMap with the generated feature repository. */
  public readonly definitions: ApiObject;
  /** The generated `features.py`. */
  public readonly repository: string;

  public constructor(scope: Construct, id: string, props: FeatureStoreProps) {
    super(scope, id);
    this.plan = planFeatureStore(this, props);
    const plan = this.plan;
    const checks = new PropChecks(this);
    const online = checks.object('onlineStore', props.onlineStore);
    const secretName = checks.string('onlineStore.secretName', online.secretName, { pattern: DNS_NAME, allowed: 'a Secret name (DNS subdomain)', fix: 'name the Secret holding the Redis settings' });
    const secretKeyName = checks.string('onlineStore.secretKeyName', online.secretKeyName ?? DEFAULTS.secretKeyName, {
      pattern: /^[-._a-zA-Z0-9]{1,253}$/, allowed: 'a Secret key', fix: 'name the key, e.g. "redis"',
    });
    const materialization = props.materialization === undefined ? {} : checks.object('materialization', props.materialization);
    const schedule = checks.string('materialization.schedule', materialization.schedule ?? DEFAULTS.schedule, { pattern: CRON, allowed: 'a five-field cron expression', fix: 'e.g. "0 * * * *"' });
    const timeZone = checks.string('materialization.timeZone', materialization.timeZone ?? DEFAULTS.timeZone, { allowed: 'an IANA time zone', fix: 'e.g. "UTC"' });
    const quantity = (prop: string, value: unknown) => checks.string(prop, value, { pattern: QUANTITY, allowed: 'a Kubernetes quantity, e.g. "20Gi"', fix: 'give a size such as "20Gi"' });
    const offlineStorage = quantity('offlineStorage', props.offlineStorage ?? DEFAULTS.offlineStorage);
    const registryStorage = quantity('registryStorage', props.registryStorage ?? DEFAULTS.registryStorage);

    guardSchema(this, 'kubernetes', plan, Object.fromEntries(plan.groups.map((group) => [group.name, lockedSchema(group, {})])),
      props.schemaLock ?? FeatureSchemaLock.file(), lockMode(this));

    const platform = PlatformServices.of(this);
    const namespace = Chart.of(this).namespace ?? platform?.namespace;
    const name = plan.storeName;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'feature-store' };
    this.repository = feastRepository(plan, OFFLINE_MOUNT);
    this.definitions = new ApiObject(this, 'Definitions', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-feature-repo`, namespace, labels }, data: { 'features.py': this.repository },
    });
    const definitionsMount = { name: DEFINITIONS_VOLUME, mountPath: `${OFFLINE_MOUNT}/${plan.projectName}/feature_repo/ml_platform`, readOnly: true };
    this.resource = new FeastFeatureStore(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        feastProject: plan.projectName,
        // A minimal repository; the generated definitions are mounted inside it, where `feast apply` finds them.
        feastProjectDir: { init: { minimal: true } },
        services: {
          runFeastApplyOnInit: true,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          volumes: [{ name: DEFINITIONS_VOLUME, configMap: { name: this.definitions.name } }],
          onlineStore: {
            persistence: { store: { type: OnlineStoreType.REDIS, secretRef: { name: secretName }, secretKeyName } },
            server: { volumeMounts: [definitionsMount] },
          },
          offlineStore: {
            persistence: {
              file: {
                type: OfflineFileType.DUCKDB,
                pvc: { create: { resources: { requests: { storage: OfflineRequest.fromString(offlineStorage) } } }, mountPath: OFFLINE_MOUNT },
              },
            },
          },
          registry: {
            local: {
              persistence: {
                file: { path: 'registry.db', pvc: { create: { resources: { requests: { storage: RegistryRequest.fromString(registryStorage) } } }, mountPath: REGISTRY_MOUNT } },
              },
            },
          },
        },
        cronJob: {
          schedule,
          timeZone,
          // Materialization that is suspended serves stale features: never left suspended.
          suspend: false,
          concurrencyPolicy: 'Forbid',
          // A run that cannot start within its period is skipped; the next one catches up (materialize-incremental).
          startingDeadlineSeconds: 600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobSpec: { backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86_400 },
        },
      },
    });
    if (platform) {
      for (const group of plan.groups) {
        platform.catalog.addNode({
          id: `${this.node.path}/${group.name}`,
          kind: 'feature-group',
          name: group.name,
          owner: platform.owner.team,
          engine: 'kubernetes',
          location: `${namespace ?? 'default'}/${name}/${group.tableName}`,
          properties: { entity: group.entity.name, features: String(group.features.length) },
        });
      }
      PlatformServices.labelMembers(this, { kind: 'FeatureStore' });
    }
  }
}
