import { AspectPriority, Aspects, type IAspect, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { IConstruct } from 'constructs';
import { fitText, type TextLimit, TEXT_LIMITS } from '../core';

/** EventBridge API Reference, PutRule: Description (0-512). */
const EVENT_RULE_DESCRIPTION: TextLimit = { maxLength: 512, allowed: /./su };

/**
 * Makes every description this library derives from construct paths fit its service, whatever the ids: IAM
 * role and policy descriptions (1,000 characters of tab, line breaks and U+0020-U+00FF, so `名前` becomes `??`),
 * Lambda (256), KMS (8,192), Scheduler and EventBridge rules (512), alarms (1,024). Each limit is in
 * `TEXT_LIMITS` with its documentation page.
 */
class FitDescriptions implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof iam.CfnRole) {
      node.description = fit(node.description, TEXT_LIMITS.iamRoleDescription);
    } else if (node instanceof iam.CfnManagedPolicy) {
      node.description = fit(node.description, TEXT_LIMITS.iamPolicyDescription);
    } else if (node instanceof lambda.CfnFunction) {
      node.description = fit(node.description, TEXT_LIMITS.lambdaDescription);
    } else if (node instanceof kms.CfnKey) {
      node.description = fit(node.description, TEXT_LIMITS.kmsKeyDescription);
    } else if (node instanceof scheduler.CfnSchedule) {
      node.description = fit(node.description, TEXT_LIMITS.scheduleDescription);
    } else if (node instanceof events.CfnRule) {
      node.description = fit(node.description, EVENT_RULE_DESCRIPTION);
    } else if (node instanceof cloudwatch.CfnAlarm) {
      node.alarmDescription = fit(node.alarmDescription, TEXT_LIMITS.alarmDescription);
    }
  }
}

function fit(text: string | undefined, limit: TextLimit): string | undefined {
  return text === undefined || Token.isUnresolved(text) ? text : fitText(text, limit);
}

const applied = new WeakSet<IConstruct>();

/** Fits the descriptions of every resource below `scope` at synthesis; constructs call it once in their constructor. */
export function fitDescriptionsBelow(scope: IConstruct): void {
  if (!applied.has(scope)) {
    applied.add(scope);
    Aspects.of(scope).add(new FitDescriptions(), { priority: AspectPriority.MUTATING });
  }
}

/**
 * A description fitted to a service's limit before an L2 construct checks it (iam.Role, lambda.Function,
 * events.Rule and scheduler.Schedule refuse a long one when they are created, before any aspect runs).
 */
export function fitDescription(kind: 'iamRole' | 'lambda' | 'eventRule' | 'schedule' | 'kmsKey' | 'alarm', text: string): string {
  const limits: Record<typeof kind, TextLimit> = {
    iamRole: TEXT_LIMITS.iamRoleDescription,
    lambda: TEXT_LIMITS.lambdaDescription,
    eventRule: EVENT_RULE_DESCRIPTION,
    schedule: TEXT_LIMITS.scheduleDescription,
    kmsKey: TEXT_LIMITS.kmsKeyDescription,
    alarm: TEXT_LIMITS.alarmDescription,
  };
  return Token.isUnresolved(text) ? text : fitText(text, limits[kind]);
}
