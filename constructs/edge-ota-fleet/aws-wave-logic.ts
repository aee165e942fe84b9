// The JSONata of the wave driver's state machine: what a wave deploys, how its evidence is judged and what a revert
// redeploys. Plain strings over the plan, so the tests evaluate each one with the `jsonata` engine Step Functions runs.
import type { EdgeOtaFleetPlan } from './plan';
import { jsonataStringContent } from '../../lib/core';

/**
 * The components a wave's deployment to one target carries: every component of the target's current deployment
 * (`$states.input.previous`), with this fleet's component set to the new version. A new Greengrass deployment to a
 * target replaces the one before and removes the components it leaves out
 * (https://docs.aws.amazon.com/greengrass/v2/developerguide/create-deployments.html), so nothing is left out.
 */
export function mergedComponents(componentName: string): string {
  const name = jsonataStringContent(componentName);
  return `{% $merge([$states.input.previous ? $states.input.previous : {}, { '${name}': { 'componentVersion': $version } }]) %}`;
}

/**
 * The version to roll out: `componentVersion` when an execution is started by hand, otherwise the version in the
 * component version's ARN, which the CloudFormation resource event carries as its physical resource id.
 */
export const VERSION_TO_ROLL_OUT = "{% $exists($states.input.componentVersion) ? $states.input.componentVersion : $split($states.input.componentVersionArn, ':versions:')[1] %}";

/** A target's current components from GetDeployment, or none when the target has no deployment yet. */
export const PREVIOUS_COMPONENTS = '{% $exists($states.result.Components) ? $states.result.Components : {} %}';

/**
 * The verdict on a wave, from the DescribeJob results of its deployments (`$evidence`) and the user's alarms in ALARM
 * (`$alarming`). The stated rule for offline devices: an execution still QUEUED or IN_PROGRESS when the bake ends has
 * not reported (the device is offline or still installing); it is neither a success nor a failure. Failures (FAILED,
 * REJECTED, TIMED_OUT) are a share of the devices that reported; the wave must also have reported from at least
 * `minReportedPercent` of its devices, or the rollout halts for the owner without reverting (no evidence of harm).
 * A job the IoT abort criteria cancelled, or an alarm in ALARM, trips the gate whatever the counts.
 */
export function gateVerdict(plan: EdgeOtaFleetPlan): string {
  return `{% (
  $tally := function($field) { $sum($evidence.Job.JobProcessDetails.$lookup($, $field)) };
  $failed := $tally('NumberOfFailedThings') + $tally('NumberOfRejectedThings') + $tally('NumberOfTimedOutThings');
  $reported := $tally('NumberOfSucceededThings') + $failed;
  $offline := $tally('NumberOfQueuedThings') + $tally('NumberOfInProgressThings');
  $total := $reported + $offline;
  $failurePercent := $reported = 0 ? 0 : $round(100 * $failed / $reported, 2);
  $reportedPercent := $total = 0 ? 0 : $round(100 * $reported / $total, 2);
  $aborted := 'CANCELED' in $evidence.Job.Status;
  $alarms := $alarming ? $alarming : [];
  {
    'decision': ($aborted or $count($alarms) > 0 or $failurePercent > ${plan.gate.maxFailurePercent}) ? 'tripped'
      : ($reportedPercent < ${plan.gate.minReportedPercent} ? 'insufficient' : 'healthy'),
    'failed': $failed, 'reported': $reported, 'offline': $offline, 'failurePercent': $failurePercent,
    'reportedPercent': $reportedPercent, 'abortedByJob': $aborted, 'alarms': $alarms
  }
) %}`;
}

/** The deployments made so far, with this wave's appended: what a revert walks. */
export const UPDATED_SO_FAR = '{% $append($updated, $states.result) %}';

/** The owner's message when a gate trips: the wave, the evidence and what was reverted. */
export const REVERT_MESSAGE = `{% $string({
  'outcome': 'reverted', 'wave': $waves[$index].name, 'verdict': $verdict,
  'reverted': $updated.targetArn, 'execution': $states.context.Execution.Id
}) %}`;

/** The owner's message when too few devices reported to judge a wave. */
export const HALT_MESSAGE = `{% $string({
  'outcome': 'halted', 'wave': $waves[$index].name, 'verdict': $verdict,
  'updated': $updated.targetArn, 'execution': $states.context.Execution.Id
}) %}`;

/**
 * The rollout queue: one rollout deploys at a time. From ListExecutions (RUNNING) of the driver itself, this
 * execution's turn: `superseded` when a newer execution runs (the newer version replaces this one's before it would
 * reach the fleet, so this one ends without deploying), `wait` while an older one runs (it is deploying, judging or
 * reverting), `go` when neither. Executions are ordered by start time, then by ARN; ListExecutions returns timestamps
 * as ISO-8601 text or epoch seconds or milliseconds depending on the client, so each is read as milliseconds.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 * Execution names cannot do this: a name is refused (ExecutionAlreadyExists) for 90 days after its execution closed,
 * so one name per fleet would block every rollout for 90 days after the last, and one name per version only stops the
 * same version twice (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
export const QUEUE_TURN = `{% (
  $me := $states.context.Execution.Id;
  $millis := function($t) { $type($t) = 'number' ? ($t < 100000000000 ? $t * 1000 : $t) : $toMillis($t) };
  $myStart := $millis($states.context.Execution.StartTime);
  $before := function($e) { $millis($e.StartDate) < $myStart or ($millis($e.StartDate) = $myStart and $e.ExecutionArn < $me) };
  $others := $states.result.Executions[ExecutionArn != $me];
  $older := $others[$before($)].ExecutionArn;
  $newer := $others[$not($before($))].ExecutionArn;
  {
    'turn': $count($newer) > 0 ? 'superseded' : ($count($older) > 0 ? 'wait' : 'go'),
    'older': [$older], 'newer': [$newer]
  }
) %}`;

/** The owner's message when a newer version's rollout supersedes this one before it deployed anything. */
export const SUPERSEDED_MESSAGE = `{% $string({
  'outcome': 'superseded', 'version': $version, 'supersededBy': $queue.newer, 'execution': $states.context.Execution.Id
}) %}`;
