import { Aspects, Stack, Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { RESIDENCY_TAG, type Residency } from '../core';
import { residencyViolations } from './residency-rules';

/**
 * Resource types the platform's tags skip: scaling targets and dashboards hold no data, and the CloudFormation
 * resource schemas cfn-lint checks against (cfn-lint 1.51) have no Tags on either.
 */
export const UNTAGGED_RESOURCE_TYPES = ['AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::CloudWatch::Dashboard'];

/**
 * Sets a data-residency policy on a scope (an app, stage or stack) and enforces it at synthesis:
 * every stack below must have a resolved region inside the policy, buckets must not replicate out of it,
 * and data at rest in buckets, topics, queues and log groups must be encrypted with a customer-managed key.
 * Every taggable resource below (except scaling targets and dashboards, which hold no data) gets the tag `ml-platform/residency=<policy name>`.
 */
export function applyResidency(scope: IConstruct, policy: Residency): void {
  policy.applyTo(scope);
  Tags.of(scope).add(RESIDENCY_TAG, policy.name, { excludeResourceTypes: UNTAGGED_RESOURCE_TYPES });
  if (scope.node.scope !== undefined) {
    scope.node.addValidation({ validate: () => residencyViolations(scope, policy) });
    return;
  }
  // Set on the app: each stack reports its own violations, so synthesis prints them under the stack's path
  // (a validation on the app itself prints under its empty path, `[]`).
  Aspects.of(scope).add({
    visit: (node) => {
      if (Stack.isStack(node)) {
        node.node.addValidation({ validate: () => residencyViolations(node, policy) });
      }
    },
  });
}
