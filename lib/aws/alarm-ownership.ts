import { Aspects, type IAspect, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct, IConstruct } from 'constructs';
import { PlatformServices } from './platform-services';
import { MlPlatformError, ownershipSentence, type PlatformOwner, slugOf } from '../core';

// CloudWatch's limit on AlarmDescription (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
export const ALARM_DESCRIPTION_LIMIT = 1024;

/** What every owned alarm description carries: the text `ownershipSentence` starts its runbook part with. */
const RUNBOOK_MARK = 'Runbook: ';

/**
 * An alarm description that, under a platform, ends with its owner and runbook (`Owner: <team> <email>. Runbook:
 * <url>`), so whoever is paged knows who owns the alarm and what to do. Outside a platform: the description as given.
 */
export function ownedDescription(scope: Construct, id: string, description: string, runbook?: string): string {
  const platform = PlatformServices.of(scope);
  if (!platform) {
    return description;
  }
  return withOwnership(scope, description, platform.owner, runbook ?? slugOf(`${scope.node.id}/${id}`));
}

function withOwnership(scope: IConstruct, description: string, owner: PlatformOwner, runbook: string): string {
  const owned = `${description} ${ownershipSentence(owner, runbook)}`.trim();
  if (owned.length > ALARM_DESCRIPTION_LIMIT) {
    throw new MlPlatformError({
      scope,
      prop: 'description',
      value: owned,
      allowed: `an alarm description of at most ${ALARM_DESCRIPTION_LIMIT} characters including the owner and runbook`,
      fix: 'shorten the description or the runbook base URL',
    });
  }
  return owned;
}

/**
 * Gives every CloudWatch alarm below `scope` that was not made with `gateAlarm` (the user's own, an L2's) the
 * owner and a runbook named after its construct path, so that no alarm under a platform pages without an owner.
 */
export function ownAlarmsBelow(scope: IConstruct, owner: PlatformOwner): void {
  const aspect: IAspect = {
    visit(node: IConstruct): void {
      if (!(node instanceof cloudwatch.CfnAlarm)) {
        return;
      }
      const description = node.alarmDescription;
      if (description !== undefined && (Token.isUnresolved(description) || description.includes(RUNBOOK_MARK))) {
        return;
      }
      const path = node.node.scope?.node.path.slice(scope.node.path.length) ?? node.node.path;
      node.alarmDescription = withOwnership(node, description ?? '', owner, slugOf(path));
    },
  };
  Aspects.of(scope).add(aspect);
}
