import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as greengrass from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { componentRecipe } from './aws-component';
import { DRIVER_RESOURCES, driverTiming, waveDriverDefinition } from './aws-driver';
import { edgeDashboardRow } from './dashboard-row';
import { type EdgeOtaFleetPlan, type EdgeOtaFleetPlanProps, planEdgeOtaFleet } from './plan';
import { addEdgeFleetToCatalog, EDGE_RUNBOOK } from './platform-entries';
import {
  acknowledge, acknowledgeWildcardResource, AWS_KINDS, EncryptionKey, fitDescription, fitDescriptionsBelow, gateAlarm, type OwnerNotifications,
  PlatformServices, StackSbom, trustedServicePrincipal,
} from '../../lib/aws';
import {
  CLOUDWATCH_DESCRIBE_ALARMS, GREENGRASS_ARTIFACT_DOWNLOAD, GREENGRASS_CANCEL_DEPLOYMENT, GREENGRASS_CREATE_DEPLOYMENT,
  GREENGRASS_READ_DEPLOYMENTS, IOT_DESCRIBE_JOB, STATES_LIST_OWN_EXECUTIONS,
} from '../../lib/aws/contracts';
import { contractStatement, grantContract } from '../../lib/aws/service-contracts';
import { PropChecks } from '../../lib/core';

/** Props of the AWS `EdgeOtaFleet`: the shared plan props, the component's commands and the owner's pieces. */
export interface EdgeOtaFleetProps extends EdgeOtaFleetPlanProps {
  /**
   * The Greengrass component's name.
   * @default - `ml.<model name>`
   */
  readonly componentName?: string;
  /**
   * The smoke inference run at install with `MODEL_PATH` set, after the model's SHA-256 matched: exit 0 within
   * 15 minutes, or the device's update fails and the device rolls back to its previous components.
   */
  readonly smokeTestCommand: string;
  /** The long-running inference process, with `MODEL_PATH` set. */
  readonly runCommand: string;
  /**
   * The inference runtime component the model runs on, pinned to one version.
   * @default - none: the commands bring their runtime
   */
  readonly runtime?: { readonly componentName: string; readonly version: string };
  /**
   * The user's alarms (e.g. on-device inference error rate); any in ALARM when a wave is judged trips its gate.
   * @default - the deployment counts alone
   */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /**
   * The core devices' token exchange role, given read access to the model's artifact only.
   * @default - a new role trusted by credentials.iot.amazonaws.com; point the devices' role alias at it
   */
  readonly tokenExchangeRole?: iam.IRole;
  /**
   * Where the owner hears of reverts, halts and failed rollouts.
   * @default - the platform owner's topic under an `MlPlatform`; required outside one
   */
  readonly notifications?: OwnerNotifications;
  /**
   * The key of the driver's logs, and of the model when it is encrypted with a customer-managed key.
   * @default - the platform's key under an `MlPlatform`; otherwise a new `EncryptionKey`
   */
  readonly encryptionKey?: kms.IKey;
}

const COMPONENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// Five minutes: a failed rollout pages within one period; executions end rarely, so one datapoint suffices.
const UNFINISHED_ALARM_PERIOD = Duration.minutes(5);

/**
 * A model rolled out over the air to Greengrass core devices in waves (a canary group, then growing waves of thing
 * groups), each judged after its bake; a tripped gate gives every updated thing group its previous components back.
 */
export class EdgeOtaFleet extends Construct {
  /** The resolved plan. */
  public readonly plan: EdgeOtaFleetPlan;
  /** The model's Greengrass component version. */
  public readonly component: greengrass.CfnComponentVersion;
  /** The content-derived component version. */
  public readonly componentVersion: string;
  /** The wave driver. */
  public readonly stateMachine: sfn.StateMachine;
  /** The rule that starts the driver when CloudFormation creates a new component version. */
  public readonly startRule: events.Rule;
  /** The devices' token exchange role. */
  public readonly tokenExchangeRole: iam.IRole;
  /** The alarm on rollouts that ended reverted, halted or failed. */
  public readonly unfinishedRolloutsAlarm: cloudwatch.Alarm;

  public constructor(scope: Construct, id: string, props: EdgeOtaFleetProps) {
    super(scope, id);
    this.plan = planEdgeOtaFleet(this, props);
    const plan = this.plan;
    const checks = new PropChecks(this);
    fitDescriptionsBelow(this);
    const platform = PlatformServices.join(this, { kind: 'EdgeOtaFleet', model: plan.model.name });
    const notifications = props.notifications === undefined ? platform?.notifications : checks.kind('notifications', props.notifications, AWS_KINDS.notifications);
    if (!notifications) {
      checks.fail('notifications', undefined, 'an OwnerNotifications topic, or the fleet created under an MlPlatform (which supplies its owner\'s topic)',
        'pass notifications: new OwnerNotifications(...), or create the fleet inside an MlPlatform');
    }
    const encryptionKey = props.encryptionKey === undefined
      ? platform?.encryptionKey ?? new EncryptionKey(this, 'Key', { description: `Edge rollout key for ${this.node.path}` }).key
      : checks.kind('encryptionKey', props.encryptionKey, AWS_KINDS.key);
    const location = plan.model.s3Location;
    if (!location) {
      checks.fail('model', plan.model.uri, 'a model in S3 (Greengrass downloads artifacts from S3 with the token exchange role)', 'use an s3:// model URI');
    }
    const componentName = checks.string('componentName', props.componentName ?? `ml.${plan.model.name}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 128), {
      pattern: COMPONENT_NAME,
      allowed: '1-128 letters, digits, ".", "_" and "-", starting with a letter or digit',
      fix: 'e.g. "com.example.FraudModel"',
      deployTime: 'it is written into the recipe and the deployments',
    });
    const command = (prop: string, value: unknown) => checks.string(prop, value, {
      allowed: 'a shell command', fix: 'e.g. "python3 {artifacts:decompressedPath}/smoke.py"', deployTime: 'it is written into the recipe',
    });
    const { recipe, version } = componentRecipe(plan, {
      componentName,
      modelUri: plan.model.uri,
      smokeTestCommand: command('smokeTestCommand', props.smokeTestCommand),
      runCommand: command('runCommand', props.runCommand),
      runtime: props.runtime,
    });
    this.componentVersion = version;
    this.component = new greengrass.CfnComponentVersion(this, 'Component', { inlineRecipe: JSON.stringify(recipe) });

    this.tokenExchangeRole = props.tokenExchangeRole ?? new iam.Role(this, 'TokenExchangeRole', {
      assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com'),
      description: fitDescription('iamRole', `Core devices of ${this.node.path}: reads the model artifact only`),
    });
    // A customer-managed policy: the devices' role may be shared with other components, which attach their own.
    new iam.ManagedPolicy(this, 'ArtifactReadPolicy', {
      description: `Reads the model artifact of ${this.node.path}`.slice(0, 1000),
      roles: [this.tokenExchangeRole],
      statements: [
        new iam.PolicyStatement({ actions: [...GREENGRASS_ARTIFACT_DOWNLOAD.callerActions], resources: [`arn:${Aws.PARTITION}:s3:::${location!.bucket}/${location!.key}`] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [encryptionKey.keyArn] }),
      ],
    });

    const alarms = (props.alarms ?? []).map((alarm, index) => checks.kind(`alarms[${index}]`, alarm, AWS_KINDS.alarm));
    const role = new iam.Role(this, 'DriverRole', { assumedBy: trustedServicePrincipal(this, 'stepFunctions') });
    const thingGroups = plan.waves.flatMap((wave) => wave.targets.map(DRIVER_RESOURCES.thingGroup));
    grantContract(role, GREENGRASS_CREATE_DEPLOYMENT, [...thingGroups, DRIVER_RESOURCES.jobs, DRIVER_RESOURCES.things]);
    grantContract(role, GREENGRASS_CANCEL_DEPLOYMENT, [DRIVER_RESOURCES.deployments, ...thingGroups, DRIVER_RESOURCES.jobs, DRIVER_RESOURCES.things]);
    grantContract(role, GREENGRASS_READ_DEPLOYMENTS, [DRIVER_RESOURCES.deployments]);
    grantContract(role, { ...GREENGRASS_READ_DEPLOYMENTS, callerActions: GREENGRASS_READ_DEPLOYMENTS.unscopedActions! }, ['*']);
    grantContract(role, IOT_DESCRIBE_JOB, [DRIVER_RESOURCES.jobs]);
    if (alarms.length > 0) {
      grantContract(role, CLOUDWATCH_DESCRIBE_ALARMS, ['*']);
    }
    notifications!.grantPublish(role);
    acknowledge(role, 'stepFunctionsTaskPolicies');
    const rolePolicy = role.node.findChild('DefaultPolicy');
    for (const resource of [DRIVER_RESOURCES.deployments, DRIVER_RESOURCES.jobs, DRIVER_RESOURCES.things]) {
      acknowledgeWildcardResource(rolePolicy, resource, 'greengrassRuntimeIds');
    }
    acknowledgeWildcardResource(rolePolicy, '*', 'listWithoutResources');

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey,
      // A year of rollout history: the retention NIST 800-53 AU-11 examples use.
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      role,
      definitionBody: sfn.DefinitionBody.fromChainable(waveDriverDefinition(this, {
        plan, componentName, topicArn: notifications!.topic.topicArn, alarmNames: alarms.map((alarm) => alarm.alarmName),
      })),
      queryLanguage: sfn.QueryLanguage.JSONATA,
      timeout: Duration.seconds(driverTiming(plan).timeoutSeconds),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: `Edge rollout of ${plan.model.name} (${this.node.path})`,
    });
    // The rollout queue lists the driver's own executions: a policy of its own, because the role's default policy is a
    // dependency of the state machine and cannot name it. Customer-managed, like the devices' policy (no inline policies).
    const queuePolicy = new iam.ManagedPolicy(this, 'RolloutQueuePolicy', {
      description: `Lets the edge rollout driver of ${this.node.path} list its own running executions`.slice(0, 1000),
      roles: [role],
      statements: [contractStatement(STATES_LIST_OWN_EXECUTIONS, [this.stateMachine.stateMachineArn])],
    });
    // The driver is updated before the new component version exists, so the version's creation event starts the new definition.
    this.component.node.addDependency(this.stateMachine, queuePolicy);

    // CloudFormation emits a resource status event when it creates the component version; a changed recipe is a new
    // version (a replacement), an unchanged one emits nothing, so the rule starts exactly one rollout per new version
    // without a custom resource (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/event-detail-resource-status-change.html).
    const startRole = new iam.Role(this, 'StartRole', { assumedBy: trustedServicePrincipal(this, 'eventBridge') });
    acknowledge(startRole, 'eventRuleTargetPolicy');
    this.startRule = new events.Rule(this, 'StartOnNewVersion', {
      description: fitDescription('eventRule', `Starts the edge rollout of ${this.node.path} when a new component version is created`),
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Resource Status Change'],
        detail: {
          'stack-id': [Aws.STACK_ID],
          'logical-resource-id': [Stack.of(this).getLogicalId(this.component)],
          'status-details': { status: ['CREATE_COMPLETE'] },
        },
      },
      targets: [new targets.SfnStateMachine(this.stateMachine, {
        input: events.RuleTargetInput.fromObject({ componentVersionArn: events.EventField.fromPath('$.detail.physical-resource-id') }),
        role: startRole,
      })],
    });

    this.unfinishedRolloutsAlarm = gateAlarm(this, 'UnfinishedRollouts', {
      metric: this.stateMachine.metricFailed({ period: UNFINISHED_ALARM_PERIOD }),
      threshold: 0,
      description: `${this.node.path}: an edge rollout ended without reaching every wave (gate tripped and reverted, too few reports, or an error). `
        + 'The owner\'s notification holds the evidence.',
      runbook: `${EDGE_RUNBOOK}/unfinished-rollouts`,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    notifications!.notifyOn(this.unfinishedRolloutsAlarm);
    this.recordInSbom(componentName, props.runtime);
    if (platform) {
      addEdgeFleetToCatalog(platform.catalog, platform.owner, plan, {
        path: this.node.path,
        name: this.node.path.replace(/\//g, '-'),
        location: this.stateMachine.stateMachineArn,
        engine: 'aws',
        topicNodeId: notifications === platform.notifications ? platform.topicNodeId : undefined,
      });
      platform.dashboard.addRow(edgeDashboardRow(`Edge fleet ${this.node.path}`, plan, {
        stepFunctions: {
          stateMachineArn: this.stateMachine.stateMachineArn,
          timeoutSeconds: driverTiming(plan).timeoutSeconds,
          alarmPeriodSeconds: UNFINISHED_ALARM_PERIOD.toSeconds(),
        },
      }));
    }
  }

  /** The model, the runtime, the component and the fleet, with the fleet depending on the component and the component on the rest. */
  private recordInSbom(componentName: string, runtime: EdgeOtaFleetProps['runtime']): void {
    const sbom = StackSbom.of(this);
    const fleet = sbom.addService({ name: this.node.path.replace(/\//g, '-'), description: `Edge fleet ${this.node.path}: ${this.plan.waves.length} waves` });
    const component = sbom.addService({ name: `${componentName}@${this.componentVersion}`, description: 'Greengrass component of the model' });
    sbom.addDependency(fleet, component);
    sbom.addDependency(component, sbom.addModel(this.plan.model),
      ...(runtime ? [sbom.addService({ name: `${runtime.componentName}@${runtime.version}`, description: 'Greengrass runtime component the model runs on' })] : []));
  }
}
