import { Tags } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { OwnerNotifications } from './owner-notifications';
import { UNTAGGED_RESOURCE_TYPES } from './residency';
import { PLATFORM_TAGS, platformLookup, type PlatformOwner } from '../core';
import type { PlatformCatalog } from '../core/platform-catalog';
import type { PlatformDashboard } from '../core/platform-dashboard';

/**
 * What an AWS `MlPlatform` shares with the constructs created below it. Product constructs find it with
 * `PlatformServices.of(this)` and use each piece unless their own props name another (an explicit prop wins).
 */
export interface AwsPlatformServices {
  /** The platform's name: the prefix of its catalog and diagram files and the dashboard. */
  readonly name: string;
  /** The owning team and its runbooks: on every alarm below the platform. */
  readonly owner: PlatformOwner;
  /** The customer-managed key of all data at rest. */
  readonly encryptionKey: kms.IKey;
  /** The bucket for captured data, batch outputs and reports, each construct under its own prefix (`PLATFORM_DATA_LAYOUT`). */
  readonly dataBucket: s3.IBucket;
  /** The owner's topic: alarm actions, failure notifications. */
  readonly notifications: OwnerNotifications;
  /** The catalog id of the owner's topic, which constructs link their alarms to (`notifies`). */
  readonly topicNodeId: string;
  /** What the platform holds and how it connects, written as `<name>.catalog.json` and the diagram. */
  readonly catalog: PlatformCatalog;
  /** The platform's dashboard: each construct adds its row (`addRow`); rendered to one CloudWatch dashboard. */
  readonly dashboard: PlatformDashboard;
}

/** How a product construct joins the platform it was created under. */
export interface PlatformMembership {
  /** The construct's kind, e.g. `CanaryEndpoint`: the `ml-platform/construct` cost-allocation tag. */
  readonly kind: string;
  /**
   * The model the construct runs: the `ml-platform/model` cost-allocation tag.
   * @default - no model tag
   */
  readonly model?: string;
}

export { UNTAGGED_RESOURCE_TYPES };

/** The lookup of the AWS platform a construct was created under. */
export const PlatformServices = {
  /** The platform at or above `scope`, if any. */
  of(scope: IConstruct): AwsPlatformServices | undefined {
    return platformLookup.find<AwsPlatformServices>(scope);
  },
  /** Records `services` as the platform of `scope` and everything below it; called by the platform construct. */
  register(scope: IConstruct, services: AwsPlatformServices): void {
    platformLookup.register(scope, services);
  },
  /**
   * The platform of `construct`, after tagging the construct for cost allocation (`ml-platform/construct`,
   * `ml-platform/model`; the platform itself tags `ml-platform/team` and the residency).
   */
  join(construct: IConstruct, membership: PlatformMembership): AwsPlatformServices | undefined {
    const services = platformLookup.find<AwsPlatformServices>(construct);
    if (services) {
      Tags.of(construct).add(PLATFORM_TAGS.construct, membership.kind, { excludeResourceTypes: UNTAGGED_RESOURCE_TYPES });
      if (membership.model) {
        Tags.of(construct).add(PLATFORM_TAGS.model, membership.model, { excludeResourceTypes: UNTAGGED_RESOURCE_TYPES });
      }
    }
    return services;
  },
};
