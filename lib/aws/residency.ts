import { Aspects, Stack, Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { RESIDENCY_TAG, type Residency } from '../core';
import { residencyViolations } from './residency-rules';

/**
 * Sets a data-residency policy on a scope (an app, stage or stack) and enforces it at synthesis:
 * every stack below must have a resolved region inside the policy, buckets must not replicate out of it,
 * and data at rest in buckets, topics, queues and log groups must be encrypted with a customer-managed key.
 * Every taggable resource below (except scaling targets, which hold no data) gets the tag `ml-platform/residency=<policy name>`.
 */
export function applyResidency(scope: IConstruct, policy: Residency): void {
  policy.applyTo(scope);
  Tags.of(scope).add(RESIDENCY_TAG, policy.name, {
    // Scaling targets hold no data, and the CloudFormation resource specification cfn-lint checks against has no Tags on them.
    excludeResourceTypes: ['AWS::ApplicationAutoScaling::ScalableTarget'],
  });
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
