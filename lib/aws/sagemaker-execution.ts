import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, type IConstruct } from 'constructs';
import { type ContainerImage, MlPlatformError, type ModelArtifact, propFailure } from '../core';
import { acknowledgeWildcardResource, type WILDCARD_RESOURCE_REASONS } from './nag-acknowledgements';

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

/**
 * The role SageMaker runs models, transform and processing jobs with, and its customer-managed policy
 * (not inline: NIST 800-53 AC-6 / cdk-nag IAMNoInlinePolicy). Every permission is added by name for one
 * resource; a wildcard resource is allowed only with a reviewed reason.
 */
export class SageMakerExecutionRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** Its policy. */
  public readonly policy: iam.ManagedPolicy;

  public constructor(scope: Construct, id: string, props: { readonly description: string }) {
    super(scope, id);
    this.role = new iam.Role(this, 'Resource', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'), description: props.description });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this.role] });
  }

  /** Allows `actions` on one resource; a resource with `*` must say why. */
  public allow(actions: string[], resource: string, wildcardReason?: keyof typeof WILDCARD_RESOURCE_REASONS): void {
    this.policy.addStatements(new iam.PolicyStatement({ actions, resources: [resource] }));
    if (wildcardReason) {
      acknowledgeWildcardResource(this.policy, resource, wildcardReason);
    }
  }

  /**
   * Lets SageMaker pull `image` with this role. Throws an `MlPlatformError` naming `prop` for an image outside ECR.
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
    this.allow(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      `arn:${Aws.PARTITION}:ecr:${registry[2]}:${registry[1]}:repository/${image.repository}`);
    this.allow(['ecr:GetAuthorizationToken'], '*', 'ecrAuthorizationToken');
  }

  /**
   * A network-isolated SageMaker model run with this role, which may read the model object and pull the image.
   * Throws an `MlPlatformError` for a model outside S3 or an image outside ECR.
   */
  public createModel(scope: Construct, id: string, options: ExecutionModelOptions): sagemaker.CfnModel {
    const fail = propFailure(options.errorScope);
    const location = options.model.s3Location;
    if (!location) {
      fail(options.modelProp, options.model.uri, 'an s3:// model artifact (SageMaker downloads ModelDataUrl from S3 only)',
        'upload the model to S3 and use ModelArtifact.fromUri("s3://...")');
    }
    this.allowImage(options.image, options.errorScope, options.imageProp);
    this.allow(['s3:GetObject'], `arn:${Aws.PARTITION}:s3:::${location!.bucket}/${location!.key}`);
    const model = new sagemaker.CfnModel(scope, id, {
      executionRoleArn: this.role.roleArn,
      // No outbound network from the container: a compromised model cannot exfiltrate data.
      enableNetworkIsolation: true,
      primaryContainer: {
        image: options.image.reference,
        modelDataUrl: options.model.uri,
        environment: {
          ...options.environment,
          MODEL_NAME: options.model.name,
          ...(options.model.version ? { MODEL_VERSION: options.model.version } : {}),
        },
      },
    });
    // SageMaker checks the role's access when it creates the model.
    model.node.addDependency(this.policy);
    return model;
  }
}
