import { ArnFormat, Aws, Duration, Names, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { resolveSageMakerDeployment, trafficRoutingConfig } from './aws-deployment';
import {
  errorRateMetric, gateAlarmNames, p99LatencyMetric, rollbackExposure, type RollbackExposure, rollbackGateAlarms, variantMetric,
  type VariantDimensions,
} from './aws-gates';
import { checkCanaryAwsProps } from './aws-props';
import { canaryDashboardRow } from './dashboard-row';
import { type CanaryEndpointPlan, type CanaryEndpointPlanProps, planCanaryEndpoint } from './plan';
import { addCanaryToCatalog } from './platform-entries';
import {
  claimPhysicalName, DataBucket, EncryptionKey, fitDescriptionsBelow, type OwnerNotifications, PlatformServices, SAGEMAKER_DEPLOYMENT_GUARDRAILS,
  SAGEMAKER_ENDPOINT_INSTANCE_METRICS, SageMakerExecutionRole, StackSbom,
} from '../../lib/aws';
import { type FeatureReads, grantFeatureReads } from '../../lib/aws/feature-reads';
import { isUnresolved, MlPlatformError, PLATFORM_DATA_LAYOUT } from '../../lib/core';

/** Where captured requests and responses go. */
export interface DataCaptureOptions {
  /**
   * Whether requests and responses are captured.
   * @default true - a drift monitor needs the live inputs, and an incident review needs the outputs
   */
  readonly enabled?: boolean;
  /**
   * The share of requests captured, in percent.
   * @default 100 - complete data for drift statistics; lower it for high-volume endpoints
   */
  readonly samplingPercent?: number;
  /**
   * The bucket captured data is written to (under `data-capture/`), encrypted with `encryptionKey`.
   * @default - the platform's data bucket (under `data-capture/<endpoint name>/`, the only prefix the role may
   * write) when created under an `MlPlatform`; otherwise a new `DataBucket` (versioned, KMS, TLS-only, retained)
   */
  readonly bucket?: s3.IBucket;
}

/** Props for the AWS `CanaryEndpoint`. */
export interface CanaryEndpointProps extends CanaryEndpointPlanProps {
  /**
   * The SageMaker instance type. Changing it later fails the update while the variant is registered for
   * autoscaling (SageMaker's rule): deploy once with `autoscaling` pinned (min = max), then change the type.
   * @default "ml.m5.large" - a general-purpose CPU instance that supports deployment guardrails
   */
  readonly instanceType?: string;
  /**
   * The endpoint's name; changing it replaces the endpoint.
   * @default - a name unique to this construct's path, stable across deployments
   */
  readonly endpointName?: string;
  /**
   * Feature groups the model reads at prediction time: the execution role gets exactly GetRecord and BatchGetRecord on them (and the store key's Decrypt).
   * @default - none
   */
  readonly featureReads?: readonly FeatureReads[];
  /**
   * The customer-managed key for the instances' volumes, captured data and the data capture bucket.
   * @default - the platform's key under an `MlPlatform`; otherwise a new `EncryptionKey` (rotation on, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Request and response capture.
   * @default - on, 100 % of requests, into a new `DataBucket`
   */
  readonly dataCapture?: DataCaptureOptions;
  /**
   * More alarms that roll a deployment back, besides the 5xx-rate and p99-latency gates (SageMaker watches at most 10).
   * @default - none
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
  /**
   * Minutes the old fleet is kept after all traffic moved, during which an alarm still rolls back to it.
   * @default 10 - a fault that shows only at full traffic still reverts without redeploying
   */
  readonly terminationWaitMinutes?: number;
  /**
   * The longest a deployment may take before SageMaker stops it and rolls back, in minutes.
   * @default - every bake plus the termination wait plus 30 minutes for provisioning, at least 10
   */
  readonly maxDeploymentMinutes?: number;
  /**
   * Who hears when a rollback gate trips or recovers: the gates report ALARM and OK to this topic.
   * @default - the platform owner's topic under an `MlPlatform`; required outside one
   */
  readonly notifications?: OwnerNotifications;
}

// SageMaker's default variant name; it must stay the same across updates for blue/green deployments.
const VARIANT_NAME = 'AllTraffic';
const SHADOW_VARIANT_NAME = 'Shadow';

/**
 * A SageMaker real-time endpoint whose new model or image versions reach users only through a blue/green
 * canary (or linear) traffic shift that rolls itself back when the 5xx-rate or p99-latency gate trips.
 *
 * Defaults: a 10 % canary for 10 minutes, rollback above 1 % 5xx or 1000 ms p99 on two of three
 * one-minute periods, 2-4 `ml.m5.large` instances tracking 600 invocations per instance per minute,
 * network isolation, KMS on volumes and captured data, 100 % data capture into a retained bucket.
 */
export class CanaryEndpoint extends Construct {
  /** The resolved plan. */
  public readonly plan: CanaryEndpointPlan;
  /** The SageMaker endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** The endpoint configuration (replaced on every change). */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The production model. */
  public readonly model: sagemaker.CfnModel;
  /** The shadow model, when one was asked for. */
  public readonly shadowModel?: sagemaker.CfnModel;
  /** The role SageMaker runs the models with: reads its models, pulls its images, uses its key, writes its logs and captured data. */
  public readonly execution: SageMakerExecutionRole;
  /** The key for volumes and captured data. */
  public readonly encryptionKey: kms.IKey;
  /** Where captured data goes, when capture is on. */
  public readonly dataCaptureBucket?: s3.IBucket;
  /** The alarm on the 5xx rate. */
  public readonly errorRateAlarm: cloudwatch.Alarm;
  /** The alarm on p99 model latency. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Every alarm that rolls a deployment back. */
  public readonly rollbackAlarms: cloudwatch.IAlarm[];
  /** The Application Auto Scaling target of the production variant. */
  public readonly scalableTarget: appscaling.ScalableTarget;
  /** The endpoint's name. */
  public readonly endpointName: string;
  /** The production variant's name, the same across updates. */
  public readonly variantName = VARIANT_NAME;
  /** The endpoint's ARN. */
  public readonly endpointArn: string;
  /** How much of the traffic a bad new version serves, and for how long, before the gates roll it back. */
  public readonly rollbackExposure: RollbackExposure;

  public constructor(scope: Construct, id: string, props: CanaryEndpointProps) {
    super(scope, id);
    this.plan = planCanaryEndpoint(this, props);
    checkCanaryAwsProps(this, props);
    fitDescriptionsBelow(this);
    this.rollbackExposure = rollbackExposure(this.plan);
    const platform = PlatformServices.join(this, { kind: 'CanaryEndpoint', model: this.plan.model.name });
    const notifications = props.notifications ?? platform?.notifications;
    if (!notifications) {
      this.fail('notifications', undefined, 'an OwnerNotifications topic, or the endpoint created under an MlPlatform (which supplies its owner\'s topic)',
        'pass notifications: new OwnerNotifications(...), or create the endpoint inside an MlPlatform');
    }
    const deployment = resolveSageMakerDeployment(this, this.plan, props);
    const { instanceType, captureSamplingPercent: captureSampling, terminationWaitMinutes, maxDeploymentMinutes, userAlarms } = deployment;

    this.endpointName = props.endpointName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' });
    if (!isUnresolved(this.endpointName) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(this.endpointName)) {
      this.fail('endpointName', this.endpointName, 'letters, digits and "-", at most 63 characters, starting and ending with a letter or digit', 'rename the endpoint');
    }
    // SageMaker ARNs carry the endpoint name in lower case.
    claimPhysicalName(this, 'SageMaker endpoint', this.endpointName, 'endpointName');
    const arnName = isUnresolved(this.endpointName) ? this.endpointName : this.endpointName.toLowerCase();
    this.endpointArn = Stack.of(this).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: arnName });
    this.encryptionKey = props.encryptionKey ?? platform?.encryptionKey ?? new EncryptionKey(this, 'Key', { description: `Endpoint key for ${this.node.path}` }).key;

    // Under a platform the role's statements are inline: one resource fewer per endpoint.
    this.execution = new SageMakerExecutionRole(this, 'Execution', { description: `Runs the model of ${this.node.path}`, inlinePolicy: platform !== undefined });
    grantFeatureReads(this.execution.role, props.featureReads);
    this.model = this.execution.createModel(this, 'Model', {
      model: this.plan.model, image: this.plan.image, environment: this.plan.environment, errorScope: this, modelProp: 'model', imageProp: 'image',
    });
    if (this.plan.shadow) {
      this.shadowModel = this.execution.createModel(this, 'ShadowModel', {
        model: this.plan.shadow.model, image: this.plan.shadow.image, environment: this.plan.environment, errorScope: this, modelProp: 'shadow.model', imageProp: 'shadow.image',
      });
    }
    // SageMaker writes container logs to /aws/sagemaker/Endpoints/<endpoint name>.
    const logGroup = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: `/aws/sagemaker/Endpoints/${this.endpointName}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.execution.allow(['logs:CreateLogGroup'], logGroup);
    this.execution.allow(['logs:CreateLogStream', 'logs:PutLogEvents'], `${logGroup}:log-stream:*`, 'logStreams');
    // Explicit actions: the L2 grants add `kms:GenerateDataKey*` and `kms:ReEncrypt*`, wildcards this library does not grant.
    this.execution.allow(['kms:Decrypt', 'kms:GenerateDataKey'], this.encryptionKey.keyArn);
    this.execution.allowContract(SAGEMAKER_ENDPOINT_INSTANCE_METRICS, ['*'], 'metricNamespace');

    let dataCaptureConfig: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | undefined;
    if (captureSampling !== undefined) {
      this.dataCaptureBucket = props.dataCapture?.bucket ?? platform?.dataBucket
        ?? new DataBucket(this, 'DataCapture', { encryptionKey: this.encryptionKey, datasetName: `${this.endpointName}-data-capture` }).bucket;
      // In a platform's shared bucket the role reaches only this endpoint's prefix: SageMaker writes under
      // <destination>/<endpoint name>/ (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html).
      const capturePrefix = platform ? PLATFORM_DATA_LAYOUT.dataCapture(this.endpointName) : 'data-capture/';
      this.execution.allow(['s3:PutObject'], this.dataCaptureBucket.arnForObjects(`${capturePrefix}*`), 'runtimeObjectKeys');
      dataCaptureConfig = {
        enableCapture: true,
        initialSamplingPercentage: captureSampling,
        destinationS3Uri: `s3://${this.dataCaptureBucket.bucketName}/data-capture`,
        kmsKeyId: this.encryptionKey.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      };
    }

    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      // No fixed name: every change creates a new config, and the endpoint moves to it through the canary.
      kmsKeyId: this.encryptionKey.keyArn,
      productionVariants: [{
        variantName: VARIANT_NAME,
        modelName: this.model.attrModelName,
        instanceType,
        initialInstanceCount: this.plan.autoscaling.minCapacity,
        initialVariantWeight: 1,
      }],
      shadowProductionVariants: this.shadowModel && this.plan.shadow ? [{
        variantName: SHADOW_VARIANT_NAME,
        modelName: this.shadowModel.attrModelName,
        instanceType,
        // SageMaker copies to the shadow the share of requests its weight has relative to production's.
        initialInstanceCount: 1,
        initialVariantWeight: this.plan.shadow.trafficPercent / 100,
      }] : undefined,
      dataCaptureConfig,
    });
    this.endpointConfig.node.addDependency(this.execution.policy);

    // The gates watch the fleet of the config being deployed: the canary alone (the guardrails guide's new-fleet alarms).
    const gates = rollbackGateAlarms(this, this.plan, { ...this.dimensions, endpointConfigName: this.endpointConfig.attrEndpointConfigName });
    this.errorRateAlarm = gates.errorRate;
    this.latencyAlarm = gates.p99Latency;
    this.rollbackAlarms = [gates.errorRate, gates.p99Latency, ...userAlarms];
    // Guardrails read the rollback alarms with the execution role. The gates are named by ARN from their fixed names:
    // their GetAtt would close a cycle (policy → alarm → endpoint config → policy).
    const gateNames = gateAlarmNames(this.endpointName);
    const alarmArn = (name: string) => Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.execution.allowContract(SAGEMAKER_DEPLOYMENT_GUARDRAILS,
      [alarmArn(gateNames.errorRate), alarmArn(gateNames.p99Latency), ...userAlarms.map((alarm) => alarm.alarmArn)]);
    notifications.notifyOn(gates.errorRate, gates.p99Latency);

    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      deploymentConfig: {
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: trafficRoutingConfig(this.plan.trafficShift),
          terminationWaitInSeconds: terminationWaitMinutes * 60,
          maximumExecutionTimeoutInSeconds: maxDeploymentMinutes * 60,
        },
        autoRollbackConfiguration: { alarms: this.rollbackAlarms.map((alarm) => ({ alarmName: alarm.alarmName })) },
      },
      // Keep the instance count autoscaling reached; a new config would otherwise reset it to minCapacity.
      retainAllVariantProperties: true,
    });

    this.scalableTarget = new appscaling.ScalableTarget(this, 'Scaling', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${this.endpointName}/variant/${VARIANT_NAME}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: this.plan.autoscaling.minCapacity,
      maxCapacity: this.plan.autoscaling.maxCapacity,
      // Application Auto Scaling acts for SageMaker through this service-linked role, created on first use.
      role: iam.Role.fromRoleArn(this, 'ScalingRole', `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`),
    });
    this.scalableTarget.node.addDependency(this.endpoint);
    this.scalableTarget.scaleToTrackMetric('InvocationsPerInstance', {
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      targetValue: this.plan.autoscaling.targetInvocationsPerMinute,
      scaleOutCooldown: Duration.seconds(this.plan.autoscaling.scaleOutCooldownSeconds),
      scaleInCooldown: Duration.seconds(this.plan.autoscaling.scaleInCooldownSeconds),
    });

    this.recordInSbom();
    if (platform) {
      addCanaryToCatalog(platform.catalog, platform.owner, this.plan, {
        path: this.node.path,
        name: this.endpointName,
        location: this.endpointArn,
        engine: 'aws',
        capturedDataUri: this.dataCaptureBucket ? `s3://${this.dataCaptureBucket.bucketName}/${PLATFORM_DATA_LAYOUT.dataCapture(this.endpointName)}` : undefined,
        topicNodeId: notifications === platform.notifications ? platform.topicNodeId : undefined,
      });
      platform.dashboard.addRow(canaryDashboardRow(`Endpoint ${this.endpointName}`, this.plan, { sageMaker: this.dimensions }));
    }
  }

  /** Lets the grantee call `InvokeEndpoint` on this endpoint. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }

  /** Invocations of the production variant per minute (sum). */
  public metricInvocations(): cloudwatch.Metric {
    return variantMetric(this.dimensions, 'Invocations', 'Sum');
  }

  /** The 5xx rate in percent over the whole variant (both fleets during a deployment; the gate watches the new fleet alone). */
  public metricErrorRate(): cloudwatch.MathExpression {
    return errorRateMetric(this.dimensions);
  }

  /** p99 model latency in microseconds over the whole variant (both fleets during a deployment; the gate watches the new fleet alone). */
  public metricP99Latency(): cloudwatch.Metric {
    return p99LatencyMetric(this.dimensions);
  }

  private get dimensions(): VariantDimensions {
    return { endpointName: this.endpointName, variantName: VARIANT_NAME };
  }

  private recordInSbom(): void {
    const sbom = StackSbom.of(this);
    const service = sbom.addService({ name: this.endpointName, description: `SageMaker endpoint ${this.node.path}` });
    sbom.addDependency(service, sbom.addModel(this.plan.model), sbom.addImage(this.plan.image));
    if (this.plan.shadow) {
      sbom.addDependency(service, sbom.addModel(this.plan.shadow.model), sbom.addImage(this.plan.shadow.image));
    }
  }

  private fail(prop: string, value: unknown, allowed: string, fix: string): never {
    throw new MlPlatformError({ scope: this, prop, value, allowed, fix });
  }
}
