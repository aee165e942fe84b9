import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, type IConstruct } from 'constructs';
import { type ContainerImage, MlPlatformError, type ModelArtifact, propFailure } from '../core';
import { SAGEMAKER_MODEL_ARTIFACT_READ, SAGEMAKER_MODEL_IMAGE_PULL } from './contracts/sagemaker-hosting';
import { fitDescription } from './description-limits';
import { acknowledge, acknowledgeWildcardResource, type WildcardResourceReason } from './nag-acknowledgements';
import { checkContainerLimits, SAGEMAKER_CONTAINER_LIMITS } from './sagemaker-limits';
import { contractStatement, type ServiceCallContract } from './service-contracts';
import { trustedServicePrincipal } from './service-principals';

/** A model a SageMaker job or endpoint runs. */
export interface ExecutionModelOptions {
  /** The model artifact; must be in S3. */
  readonly model: ModelArtifact;
  /** The serving or scoring image; must be in Amazon ECR. */
  readonly image: ContainerImage;
  /** Environment variables of the container. */
  readonly environment: Record<string, string>;
  /** The construct whose props gave the model, for error messages. */
  readonly errorScope: IConstruct;
  /** The prop that gave the model (e.g. `model`, `shadow.model`). */
  readonly modelProp: string;
  /** The prop that gave the image (e.g. `image`, `shadow.image`). */
  readonly imageProp: string;
}

// The ECR host of a registry: <account>.dkr.ecr.<region>.amazonaws.com[.cn].
const ECR_REGISTRY = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** Props for `SageMakerExecutionRole`. */
export interface SageMakerExecutionRoleProps {
  /** What the role runs, shown in IAM. */
  readonly description: string;
  /**
   * Whether the permissions live in the role's own inline policy instead of a customer-managed policy: one
   * CloudFormation resource instead of two. Platforms use it, so that a stack holds more endpoints.
   * @default false - a customer-managed policy (NIST 800-53 AC-6 / cdk-nag IAMNoInlinePolicy)
   */
  readonly inlinePolicy?: boolean;
}

/**
 * The role SageMaker runs models, transform and processing jobs with, and its customer-managed policy
 * (not inline: NIST 800-53 AC-6 / cdk-nag IAMNoInlinePolicy). Every permission is added by name for one
 * resource; a wildcard resource is allowed only with a reviewed reason.
 */
export class SageMakerExecutionRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** What holds the role's permissions: its customer-managed policy, or the role itself with `inlinePolicy`. */
  public readonly policy: iam.ManagedPolicy | iam.Role;
  private readonly document: iam.PolicyDocument;

  public constructor(scope: Construct, id: string, props: SageMakerExecutionRoleProps) {
    super(scope, id);
    this.document = new iam.PolicyDocument();
    if (props.inlinePolicy) {
      this.role = new iam.Role(this, 'Resource', {
        assumedBy: trustedServicePrincipal(this, 'sagemaker'), description: fitDescription('iamRole', props.description), inlinePolicies: { Execution: this.document },
      });
      acknowledge(this.role, 'executionRoleInlinePolicy');
      this.policy = this.role;
    } else {
      this.role = new iam.Role(this, 'Resource', { assumedBy: trustedServicePrincipal(this, 'sagemaker'), description: fitDescription('iamRole', props.description) });
      this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this.role], document: this.document });
    }
  }

  /**
   * Allows `actions` on one resource; a resource with `*` must say why.
   * @internal the library's grant mechanics; users extend `role` with aws-cdk-lib's grants.
   */
  public allow(actions: string[], resource: string, wildcardReason?: WildcardResourceReason): void {
    this.document.addStatements(new iam.PolicyStatement({ actions, resources: [resource] }));
    if (wildcardReason) {
      acknowledgeWildcardResource(this.policy, resource, wildcardReason);
    }
  }

  /**
   * Allows the caller actions of `contract` (with its conditions) on `resources`: the row that the contract tests
   * check is the row that grants. A resource with `*` must say why.
   * @internal
   */
  public allowContract(contract: ServiceCallContract, resources: string[], wildcardReason?: WildcardResourceReason): void {
    this.document.addStatements(contractStatement(contract, resources));
    if (wildcardReason) {
      resources.filter((resource) => resource.includes('*')).forEach((resource) => acknowledgeWildcardResource(this.policy, resource, wildcardReason));
    }
  }

  /**
   * Lets SageMaker pull `image` with this role. Throws an `MlPlatformError` naming `prop` for an image outside ECR.
   * @internal
   */
  public allowImage(image: ContainerImage, errorScope: IConstruct, prop: string): void {
    const registry = ECR_REGISTRY.exec(image.registry);
    if (!registry) {
      throw new MlPlatformError({
        scope: errorScope,
        prop,
        value: image.reference,
        allowed: 'an image in Amazon ECR (<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:...)',
        fix: 'push the image to ECR (SageMaker pulls from ECR only, and network isolation keeps it from other registries)',
      });
    }
    const unscoped = SAGEMAKER_MODEL_IMAGE_PULL.unscopedActions ?? [];
    this.allow(SAGEMAKER_MODEL_IMAGE_PULL.callerActions.filter((action) => !unscoped.includes(action)),
      `arn:${Aws.PARTITION}:ecr:${registry[2]}:${registry[1]}:repository/${image.repository}`);
    this.allow([...unscoped], '*', 'ecrAuthorizationToken');
  }

  /**
   * A network-isolated SageMaker model run with this role, which may read the model object and pull the image.
   * Throws an `MlPlatformError` for a model outside S3 or an image outside ECR.
   * @internal
   */
  public createModel(scope: Construct, id: string, options: ExecutionModelOptions): sagemaker.CfnModel {
    const fail = propFailure(options.errorScope);
    const location = options.model.s3Location;
    if (!location) {
      fail(options.modelProp, options.model.uri, 'an s3:// model artifact (SageMaker downloads ModelDataUrl from S3 only)',
        'upload the model to S3 and use ModelArtifact.fromUri("s3://...")');
    }
    this.allowImage(options.image, options.errorScope, options.imageProp);
    this.allowContract(SAGEMAKER_MODEL_ARTIFACT_READ, [`arn:${Aws.PARTITION}:s3:::${location!.bucket}/${location!.key}`]);
    const environment = {
      ...options.environment,
      MODEL_NAME: options.model.name,
      ...(options.model.version ? { MODEL_VERSION: options.model.version } : {}),
    };
    checkContainerLimits(options.errorScope, {
      environment,
      environmentProp: 'environment',
      derivedFrom: { MODEL_NAME: options.modelProp, MODEL_VERSION: options.modelProp },
      image: options.image.reference,
      imageProp: options.imageProp,
      modelUri: options.model.uri,
      modelProp: options.modelProp,
    }, SAGEMAKER_CONTAINER_LIMITS.createModel);
    const model = new sagemaker.CfnModel(scope, id, {
      executionRoleArn: this.role.roleArn,
      // No outbound network from the container: a compromised model cannot exfiltrate data.
      enableNetworkIsolation: true,
      primaryContainer: {
        image: options.image.reference,
        modelDataUrl: options.model.uri,
        environment,
      },
    });
    // SageMaker checks the role's access when it creates the model.
    model.node.addDependency(this.policy);
    return model;
  }
}
