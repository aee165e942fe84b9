// The wave driver: a Step Functions state machine that rolls a component version out wave by wave through
// Greengrass's CreateDeployment (AWS::GreengrassV2::Deployment is replace-only and takes effect at once, so it cannot
// stage anything), judges each wave after its bake, and on a tripped gate redeploys every updated target's previous
// components. Its JSONata lives in aws-wave-logic.ts, where the tests evaluate it.
import { Aws, Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import {
  gateVerdict, HALT_MESSAGE, mergedComponents, PREVIOUS_COMPONENTS, QUEUE_TURN, REVERT_MESSAGE, SUPERSEDED_MESSAGE, UPDATED_SO_FAR,
  VERSION_TO_ROLL_OUT,
} from './aws-wave-logic';
import type { EdgeOtaFleetPlan } from './plan';

/** What the definition needs besides the plan. */
export interface WaveDriverOptions {
  readonly plan: EdgeOtaFleetPlan;
  readonly componentName: string;
  readonly topicArn: string;
  /** Names of the user's alarms that trip the gate when in ALARM (e.g. on-device inference error rate). */
  readonly alarmNames: readonly string[];
}

/** The IAM resources each call is granted on (the contracts in lib/aws/contracts/greengrass.ts name the actions). */
export const DRIVER_RESOURCES = {
  thingGroup: (name: string) => `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:thinggroup/${name}`,
  deployments: `arn:${Aws.PARTITION}:greengrass:${Aws.REGION}:${Aws.ACCOUNT_ID}:deployments:*`,
  jobs: `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:job/*`,
  things: `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:thing/*`,
} as const;

// Greengrass's defaults for the two update policies, kept explicit: components get 60 s to defer an update or
// validate a configuration (https://docs.aws.amazon.com/greengrass/v2/APIReference/API_DeploymentPolicies.html).
const COMPONENT_UPDATE_TIMEOUT_SECONDS = 60;
const CONFIGURATION_VALIDATION_TIMEOUT_SECONDS = 60;
// Targets of one wave deployed or reverted at once: CreateDeployment's rate is limited per account.
const MAX_CONCURRENT_TARGETS = 5;

/** The deployment settings of every wave and revert: device rollback, update policies, IoT job rollout and abort. */
export function deploymentSettings(plan: EdgeOtaFleetPlan): Record<string, unknown> {
  const rollout = plan.rollout;
  return {
    DeploymentPolicies: {
      FailureHandlingPolicy: 'ROLLBACK',
      ComponentUpdatePolicy: { Action: 'NOTIFY_COMPONENTS', TimeoutInSeconds: COMPONENT_UPDATE_TIMEOUT_SECONDS },
      ConfigurationValidationPolicy: { TimeoutInSeconds: CONFIGURATION_VALIDATION_TIMEOUT_SECONDS },
    },
    IotJobConfiguration: {
      JobExecutionsRolloutConfig: {
        ExponentialRate: {
          BaseRatePerMinute: rollout.baseRatePerMinute,
          IncrementFactor: rollout.incrementFactor,
          RateIncreaseCriteria: { NumberOfSucceededThings: rollout.succeededThingsPerIncrease },
        },
        MaximumPerMinute: rollout.maximumPerMinute,
      },
      AbortConfig: {
        CriteriaList: [{
          FailureType: 'ALL', Action: 'CANCEL', ThresholdPercentage: plan.gate.maxFailurePercent, MinNumberOfExecutedThings: rollout.minExecutedThingsBeforeAbort,
        }],
      },
      TimeoutConfig: { InProgressTimeoutInMinutes: rollout.inProgressTimeoutMinutes },
    },
  };
}

/** How long the driver runs and how it waits for its turn (see `QUEUE_TURN`). */
export interface DriverTiming {
  /** The longest rollout: every wave's install timeout, bake and an hour of calls. */
  readonly rolloutSeconds: number;
  /** The wait before the first look at the running executions. */
  readonly settleSeconds: number;
  /** The wait between two looks while an older rollout runs. */
  readonly pollSeconds: number;
  /** The execution timeout: settle, one older rollout waited for (plus a poll), then this one; at most a year. */
  readonly timeoutSeconds: number;
}

// ListExecutions is eventually consistent ("may not reflect very recent updates",
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html): a minute before the first
// look lets an execution started just before this one appear in the list, so the newer of the two always sees the older.
const SETTLE_SECONDS = 60;
// Five minutes between looks, or more for very long rollouts: at most 500 looks (9 history events each) while waiting,
// far below the 25,000 events of a standard workflow (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
const MIN_POLL_SECONDS = 300;
const MAX_POLLS = 500;
// Step Functions standard workflows run at most one year (service quotas, above).
const MAX_EXECUTION_SECONDS = 365 * 86_400;

/** The driver's timing from the plan. */
export function driverTiming(plan: EdgeOtaFleetPlan): DriverTiming {
  const rolloutSeconds = plan.waves.length * (plan.rollout.inProgressTimeoutMinutes * 60 + plan.bakeSeconds + 3600);
  const pollSeconds = Math.max(MIN_POLL_SECONDS, Math.ceil(rolloutSeconds / MAX_POLLS));
  return {
    rolloutSeconds,
    settleSeconds: SETTLE_SECONDS,
    pollSeconds,
    timeoutSeconds: Math.min(MAX_EXECUTION_SECONDS, SETTLE_SECONDS + rolloutSeconds + pollSeconds + rolloutSeconds),
  };
}

const sdkRetry: sfn.RetryProps = { errors: ['GreengrassV2.ThrottlingException', 'Iot.ThrottlingException', 'States.Timeout'], maxAttempts: 5, interval: Duration.seconds(5), backoffRate: 2 };

/** One SDK integration task, its action granted on `resources` only (the contracts add what the service needs besides). */
function call(scope: Construct, id: string, service: string, action: string, iamAction: string, resources: string[],
  parameters: Record<string, unknown>, extra: Partial<tasks.CallAwsServiceJsonataProps> = {}): tasks.CallAwsService {
  const task = tasks.CallAwsService.jsonata(scope, id, {
    service, action, iamAction, parameters, iamResources: resources, taskTimeout: sfn.Timeout.duration(Duration.minutes(1)), ...extra,
  });
  task.addRetry(sdkRetry);
  return task;
}

const SUBJECTS = { NotifyReverted: 'reverted', NotifyHalted: 'halted', NotifyFinished: 'finished', NotifySuperseded: 'superseded' } as const;

/** The wave driver's definition. */
export function waveDriverDefinition(scope: Construct, options: WaveDriverOptions): sfn.IChainable {
  const { plan } = options;
  const settings = deploymentSettings(plan);
  const thingGroups = plan.waves.flatMap((wave) => wave.targets.map(DRIVER_RESOURCES.thingGroup));
  const deploymentName = (what: string) => `{% '${what} ' & $version & ' ' & $waves[$index].name %}`;

  // Per target: read its current deployment's components, then deploy them with this component at the new version.
  const listLatest = call(scope, 'ListLatest', 'greengrassv2', 'listDeployments', 'greengrass:ListDeployments', ['*'],
    { TargetArn: '{% $states.input.targetArn %}', HistoryFilter: 'LATEST_ONLY' },
    { outputs: "{% { 'targetArn': $states.input.targetArn, 'latest': $states.result.Deployments[0].DeploymentId } %}" });
  const getLatest = call(scope, 'GetLatest', 'greengrassv2', 'getDeployment', 'greengrass:GetDeployment', [DRIVER_RESOURCES.deployments],
    { DeploymentId: '{% $states.input.latest %}' },
    { outputs: `{% { 'targetArn': $states.input.targetArn, 'previous': ${PREVIOUS_COMPONENTS.slice(3, -3)} } %}` });
  const noDeployment = sfn.Pass.jsonata(scope, 'NoDeployment', { outputs: "{% { 'targetArn': $states.input.targetArn, 'previous': {} } %}" });
  const deploy = call(scope, 'Deploy', 'greengrassv2', 'createDeployment', 'greengrass:CreateDeployment', thingGroups, {
    TargetArn: '{% $states.input.targetArn %}',
    DeploymentName: deploymentName('Rollout'),
    Components: mergedComponents(options.componentName),
    ...settings,
  }, { outputs: "{% { 'targetArn': $states.input.targetArn, 'previous': $states.input.previous, 'deploymentId': $states.result.DeploymentId } %}" });
  const perTarget = listLatest.next(sfn.Choice.jsonata(scope, 'HasDeployment')
    .when(sfn.Condition.jsonata('{% $exists($states.input.latest) %}'), getLatest.next(deploy))
    .otherwise(noDeployment.next(deploy)));
  const deployWave = sfn.Map.jsonata(scope, 'DeployWave', {
    items: sfn.ProvideItems.jsonata('{% $waves[$index].targets %}'),
    itemSelector: { targetArn: '{% $arnPrefix & $states.context.Map.Item.Value %}' },
    maxConcurrency: MAX_CONCURRENT_TARGETS,
    assign: { updated: UPDATED_SO_FAR, waveDeployments: '{% $states.result %}' },
  }).itemProcessor(perTarget);

  // Install timeout, then bake: a device's update has finished or timed out before its wave is judged.
  const bake = sfn.Wait.jsonata(scope, 'InstallAndBake', {
    time: sfn.WaitTime.duration(Duration.seconds(plan.rollout.inProgressTimeoutMinutes * 60 + plan.bakeSeconds)),
  });
  const getDeployment = call(scope, 'GetWaveDeployment', 'greengrassv2', 'getDeployment', 'greengrass:GetDeployment', [DRIVER_RESOURCES.deployments],
    { DeploymentId: '{% $states.input.deploymentId %}' }, { outputs: '{% $states.result.IotJobId %}' });
  const describeJob = call(scope, 'DescribeWaveJob', 'iot', 'describeJob', 'iot:DescribeJob', [DRIVER_RESOURCES.jobs], { JobId: '{% $states.input %}' });
  const readEvidence = sfn.Map.jsonata(scope, 'ReadEvidence', {
    items: sfn.ProvideItems.jsonata('{% $waveDeployments %}'),
    maxConcurrency: MAX_CONCURRENT_TARGETS,
    assign: { evidence: '{% $states.result %}' },
  }).itemProcessor(getDeployment.next(describeJob));
  const readAlarms = options.alarmNames.length === 0
    ? sfn.Pass.jsonata(scope, 'NoAlarms', { assign: { alarming: '{% [] %}' } })
    : call(scope, 'ReadAlarms', 'cloudwatch', 'describeAlarms', 'cloudwatch:DescribeAlarms', ['*'],
      { AlarmNames: [...options.alarmNames], StateValue: 'ALARM' }, { assign: { alarming: '{% [$states.result.MetricAlarms.AlarmName] %}' } });
  const judge = sfn.Pass.jsonata(scope, 'Judge', { assign: { verdict: gateVerdict(plan) } });

  // A tripped gate: stop the new deployments, then give every updated target its previous components back.
  const cancel = call(scope, 'CancelRollout', 'greengrassv2', 'cancelDeployment', 'greengrass:CancelDeployment', [DRIVER_RESOURCES.deployments],
    { DeploymentId: '{% $states.input.deploymentId %}' }, { outputs: '{% $states.input %}' });
  const redeploy = call(scope, 'RedeployPrevious', 'greengrassv2', 'createDeployment', 'greengrass:CreateDeployment', thingGroups, {
    TargetArn: '{% $states.input.targetArn %}',
    DeploymentName: deploymentName('Revert'),
    Components: '{% $states.input.previous %}',
    ...settings,
  });
  const revert = sfn.Map.jsonata(scope, 'Revert', {
    items: sfn.ProvideItems.jsonata('{% $updated %}'),
    maxConcurrency: MAX_CONCURRENT_TARGETS,
  }).itemProcessor(cancel.addCatch(redeploy, { errors: ['GreengrassV2.ConflictException'], outputs: '{% $states.input %}' }).next(redeploy));
  const notify = (id: keyof typeof SUBJECTS, message: string) => call(scope, id, 'sns', 'publish', 'sns:Publish', [options.topicArn],
    { TopicArn: options.topicArn, Subject: `Edge rollout ${SUBJECTS[id]}`, Message: message });
  const reverted = revert.next(notify('NotifyReverted', REVERT_MESSAGE)).next(sfn.Fail.jsonata(scope, 'GateTripped', {
    error: 'GateTripped', cause: "{% 'Wave ' & $waves[$index].name & ' tripped its gate; every updated target was given its previous components back.' %}",
  }));
  const halted = notify('NotifyHalted', HALT_MESSAGE).next(sfn.Fail.jsonata(scope, 'TooFewReports', {
    error: 'TooFewReports', cause: "{% 'Wave ' & $waves[$index].name & ': too few devices reported to judge it; nothing was reverted.' %}",
  }));
  const finished = notify('NotifyFinished', "{% $string({ 'outcome': 'finished', 'version': $version, 'targets': $updated.targetArn }) %}")
    .next(sfn.Succeed.jsonata(scope, 'EveryWaveHealthy'));
  const nextWave = sfn.Pass.jsonata(scope, 'NextWave', { assign: { index: '{% $index + 1 %}' } }).next(deployWave);

  const decide = sfn.Choice.jsonata(scope, 'Verdict')
    .when(sfn.Condition.jsonata("{% $verdict.decision = 'tripped' %}"), reverted)
    .when(sfn.Condition.jsonata("{% $verdict.decision = 'insufficient' %}"), halted)
    .when(sfn.Condition.jsonata('{% $index + 1 < $count($waves) %}'), nextWave)
    .otherwise(finished);

  // One rollout at a time: wait while an older execution runs; give way to a newer one (see QUEUE_TURN).
  const timing = driverTiming(plan);
  const listRunning = new sfn.CustomState(scope, 'ListRunning', {
    stateJson: {
      Type: 'Task',
      // Granted apart from the task policies (aws.ts): the role's default policy cannot name its own state machine.
      Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:sfn:listExecutions`,
      Arguments: { StateMachineArn: '{% $states.context.StateMachine.Id %}', StatusFilter: 'RUNNING', MaxResults: 1000 },
      Assign: { queue: QUEUE_TURN },
      TimeoutSeconds: 60,
    },
  });
  listRunning.addRetry({ ...sdkRetry, errors: ['Sfn.ThrottlingException', 'States.Timeout'] });
  const superseded = notify('NotifySuperseded', SUPERSEDED_MESSAGE).next(sfn.Succeed.jsonata(scope, 'Superseded'));
  const waitTurn = sfn.Wait.jsonata(scope, 'WaitForOlderRollout', { time: sfn.WaitTime.duration(Duration.seconds(timing.pollSeconds)) });
  const turn = sfn.Choice.jsonata(scope, 'Turn')
    .when(sfn.Condition.jsonata("{% $queue.turn = 'superseded' %}"), superseded)
    .when(sfn.Condition.jsonata("{% $queue.turn = 'wait' %}"), waitTurn.next(listRunning))
    .otherwise(deployWave);
  const settle = sfn.Wait.jsonata(scope, 'Settle', { time: sfn.WaitTime.duration(Duration.seconds(timing.settleSeconds)) });

  deployWave.next(bake).next(readEvidence).next(readAlarms).next(judge).next(decide);
  return sfn.Pass.jsonata(scope, 'Start', {
    assign: {
      version: VERSION_TO_ROLL_OUT,
      waves: plan.waves.map((wave) => ({ name: wave.name, targets: [...wave.targets] })),
      arnPrefix: DRIVER_RESOURCES.thingGroup(''),
      index: 0,
      updated: '{% [] %}',
    },
  }).next(settle).next(listRunning).next(turn);
}
