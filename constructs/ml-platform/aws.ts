import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { attachCustomSynthesis, Stack, Tags } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type MlPlatformPlan, type MlPlatformPlanProps, planMlPlatform } from './plan';
import { platformFileNames } from './platform-files';
import {
  applyResidency, type AwsPlatformServices, DataBucket, EncryptionKey, OwnerNotifications, ownAlarmsBelow, PlatformCloudWatchDashboard,
  PlatformServices, UNTAGGED_RESOURCE_TYPES,
} from '../../lib/aws';
import { PLATFORM_DATA_LAYOUT, PLATFORM_TAGS, PlatformDashboard } from '../../lib/core';
import { PlatformCatalog } from '../../lib/core/platform-catalog';

/** Props for the AWS `MlPlatform`. */
export interface MlPlatformProps extends MlPlatformPlanProps {
  /**
   * The customer-managed key of all data at rest below the platform.
   * @default - a new `EncryptionKey` (rotation on, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * An alias for the key the platform creates, e.g. `alias/ml-platform/data`.
   * @default - no alias
   */
  readonly keyAlias?: string;
}

/**
 * An ML platform on AWS: the construct every product construct is created under, owning what they share.
 *
 * Creates one of each shared piece: a customer-managed key (rotation on, retained), a data bucket for captured
 * data, batch outputs and reports (each construct under its own prefix, see `PLATFORM_DATA_LAYOUT`) with its
 * access-log bucket, the owner's SNS topic, and one CloudWatch dashboard (a row per endpoint and pipeline). Sets residency and the cost-allocation
 * tags (`ml-platform/team`; each construct adds `ml-platform/construct` and
 * `ml-platform/model`) once, gives every alarm below it the owner and a runbook, and writes at synthesis, beside
 * the template: `<name>.catalog.json`, `<name>.diagram.md` (Mermaid) and `<name>.diagram.svg`.
 *
 * `CanaryEndpoint` and `BatchScoringPipeline` created anywhere below it use its key, bucket and topic unless
 * their own props name others.
 */
export class MlPlatform extends Construct implements AwsPlatformServices {
  /** The resolved plan. */
  public readonly plan: MlPlatformPlan;
  /** The platform's name. */
  public readonly name: string;
  /** The owning team. */
  public readonly owner: MlPlatformPlan['owner'];
  /** The customer-managed key of all data at rest. */
  public readonly encryptionKey: kms.IKey;
  /** The shared data bucket (captured data, batch outputs, reports) with its access-log bucket. */
  public readonly data: DataBucket;
  /** The shared data bucket. */
  public readonly dataBucket: s3.IBucket;
  /** The owner's topic: subscribe people or a paging tool to `notifications.topic`. */
  public readonly notifications: OwnerNotifications;
  /** The catalog of what the platform holds. */
  public readonly catalog: PlatformCatalog;
  /** The dashboard model every construct below adds its row to. */
  public readonly dashboard: PlatformDashboard;
  /** The CloudWatch dashboard it is rendered to. */
  public readonly cloudWatchDashboard: PlatformCloudWatchDashboard;

  public constructor(scope: Construct, id: string, props: MlPlatformProps) {
    super(scope, id);
    this.plan = planMlPlatform(this, props);
    this.name = this.plan.name;
    this.owner = this.plan.owner;
    if (this.plan.residency) {
      applyResidency(this, this.plan.residency);
    }
    Tags.of(this).add(PLATFORM_TAGS.team, this.owner.team, { excludeResourceTypes: UNTAGGED_RESOURCE_TYPES });

    this.encryptionKey = props.encryptionKey
      ?? new EncryptionKey(this, 'Key', { description: `Data key of ML platform ${this.name}`, alias: props.keyAlias }).key;
    this.data = new DataBucket(this, 'Data', { encryptionKey: this.encryptionKey, datasetName: `${this.name}-data` });
    this.dataBucket = this.data.bucket;
    this.notifications = new OwnerNotifications(this, 'Owner', { encryptionKey: this.encryptionKey, displayName: `ML platform ${this.name}: ${this.owner.team}` });
    this.catalog = new PlatformCatalog({ platform: this.name, owner: this.owner, residency: this.plan.residency?.name, errorScope: this });
    this.catalog.addNode({
      id: this.topicNodeId, kind: 'topic', name: `${this.name} owner alerts`, owner: this.owner.team, engine: 'aws', location: this.notifications.topic.topicArn,
    });

    this.dashboard = new PlatformDashboard({ title: this.name, errorScope: this });
    this.cloudWatchDashboard = new PlatformCloudWatchDashboard(this, 'Dashboard', {
      // Dashboards are global to an account: the region keeps two regions' platforms of one name apart.
      dashboardName: `${this.name}-${Stack.of(this).region}`,
      dashboard: this.dashboard,
    });
    this.catalog.addNode({
      id: `${this.node.path}/Dashboard`,
      kind: 'dashboard',
      name: `${this.name} dashboard`,
      owner: this.owner.team,
      engine: 'aws',
      location: `cloudwatch:${this.name}-${Stack.of(this).region}`,
    });

    PlatformServices.register(this, this);
    ownAlarmsBelow(this, this.owner);
    this.writeCatalogAtSynthesis();
  }

  /** The catalog id of the owner's topic, which product constructs link their alarms to. */
  public get topicNodeId(): string {
    return `${this.node.path}/Owner`;
  }

  /** `s3://<data bucket>/<prefix>`: where a construct's data lives in the shared bucket (see `PLATFORM_DATA_LAYOUT`). */
  public dataUri(prefix: string): string {
    return `s3://${this.dataBucket.bucketName}/${prefix}`;
  }

  /** The input and output URIs of a batch scoring pipeline named `pipelineName`, under its own prefixes. */
  public pipelineUris(pipelineName: string): { readonly inputUri: string; readonly outputUri: string } {
    return {
      inputUri: this.dataUri(PLATFORM_DATA_LAYOUT.pipelineInput(pipelineName)),
      outputUri: this.dataUri(PLATFORM_DATA_LAYOUT.pipelineOutput(pipelineName)),
    };
  }

  private writeCatalogAtSynthesis(): void {
    attachCustomSynthesis(this, {
      onSynthesize: (session) => {
        mkdirSync(session.outdir, { recursive: true });
        const files = platformFileNames(this.name);
        writeFileSync(join(session.outdir, files.catalog), `${JSON.stringify(this.catalog.toJSON(), null, 2)}\n`);
        writeFileSync(join(session.outdir, files.mermaid), this.catalog.toMermaid());
        writeFileSync(join(session.outdir, files.svg), this.catalog.toSvg());
      },
    });
  }
}
