import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { fitDescription, type OwnerNotifications } from '../../lib/aws';

/** The execution statuses that tell the owner a run did not finish (Step Functions' EventBridge events). */
export const UNFINISHED_RUN_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * An EventBridge rule that tells the owner of every execution of `stateMachine` that failed, timed out or was
 * aborted: which execution, with which input, and how to resume it. The state machine catches nothing, so its failures stay
 * redrivable; this rule, not a catch, is how the owner hears of them
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html).
 */
export function notifyUnfinishedRuns(scope: Construct, id: string, stateMachine: sfn.IStateMachine, notifications: OwnerNotifications): events.Rule {
  const rule = new events.Rule(scope, id, {
    description: fitDescription('eventRule', `Tells the owner of failed, timed-out or aborted runs of ${scope.node.path}`),
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [stateMachine.stateMachineArn], status: [...UNFINISHED_RUN_STATUSES] },
    },
  });
  const field = (path: string) => events.EventField.fromPath(`$.detail.${path}`);
  rule.addTarget(new targets.SnsTopic(notifications.topic, {
    message: events.RuleTargetInput.fromText(
      // The event carries the execution, its status and input (not the error: that is in the execution's history).
      `Batch scoring run ${field('name')} ended ${field('status')}. Input: ${field('input')}. The failed step and its error `
      + 'are in the execution history; nothing was published for a date that did not finish. Resume from the failed step with '
      + `aws stepfunctions redrive-execution --execution-arn ${field('executionArn')}`,
    ),
  }));
  return rule;
}
