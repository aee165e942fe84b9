// The two fleets the synthesis benchmark compares: N CanaryEndpoints under an MlPlatform, and N endpoints of the
// CDK SageMaker alpha (Model + EndpointConfig + Endpoint + autoscaling on invocations), the same model and image.
import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CanaryEndpoint, ContainerImage, MlPlatform, ModelArtifact, Residency } from '../constructs/aws';

/** The most endpoints the benchmark puts in one stack: 60 of ours is 8 + 60 x 8 = 488 resources, under CloudFormation's 500. */
export const ENDPOINTS_PER_STACK = 60;

const ENV = { region: 'eu-west-1', account: '123456789012' };
const MODEL = ModelArtifact.fromUri('s3://ml-platform-models-eu-west-1/fraud/1.4.0/model.tar.gz', { name: 'fraud', version: '1.4.0' });
const IMAGE = ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@sha256:${'3b'.repeat(32)}`);

/** The stacks needed for `endpoints`, each holding at most `ENDPOINTS_PER_STACK`. */
function stackSizes(endpoints: number): number[] {
  const sizes: number[] = [];
  for (let left = endpoints; left > 0 || sizes.length === 0; left -= ENDPOINTS_PER_STACK) {
    sizes.push(Math.max(0, Math.min(ENDPOINTS_PER_STACK, left)));
  }
  return sizes;
}

/** `endpoints` CanaryEndpoints, each stack one EU `MlPlatform`; returns the app, ready to synthesize. */
export function platformFleet(endpoints: number, outdir: string): App {
  const app = new App({ outdir });
  stackSizes(endpoints).forEach((size, stackIndex) => {
    const stack = new Stack(app, `Platform${stackIndex}`, { env: ENV });
    const platform = new MlPlatform(stack, 'Platform', {
      residency: Residency.EU,
      owner: { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' },
    });
    for (let i = 0; i < size; i++) {
      new CanaryEndpoint(platform, `Endpoint${i}`, { endpointName: `fraud-${stackIndex}-${i}`, model: MODEL, image: IMAGE });
    }
  });
  return app;
}

/** `endpoints` endpoints of the CDK SageMaker alpha with autoscaling, in as many stacks as `platformFleet`. */
export function alphaFleet(endpoints: number, outdir: string): App {
  const app = new App({ outdir });
  stackSizes(endpoints).forEach((size, stackIndex) => {
    const stack = new Stack(app, `Alpha${stackIndex}`, { env: ENV });
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repository', IMAGE.repository);
    const bucket = s3.Bucket.fromBucketName(stack, 'Models', MODEL.s3Location!.bucket);
    if (size === 0) {
      // A template needs one resource; the empty baseline holds a resource that costs nothing.
      new CfnWaitConditionHandle(stack, 'Placeholder');
    }
    for (let i = 0; i < size; i++) {
      const model = new sagemakerAlpha.Model(stack, `Model${i}`, {
        containers: [{
          image: sagemakerAlpha.ContainerImage.fromEcrRepository(repository, IMAGE.digest),
          modelData: sagemakerAlpha.ModelData.fromBucket(bucket, MODEL.s3Location!.key),
        }],
      });
      const config = new sagemakerAlpha.EndpointConfig(stack, `Config${i}`, {
        instanceProductionVariants: [{ model, variantName: 'AllTraffic', instanceType: sagemakerAlpha.InstanceType.M5_LARGE, initialInstanceCount: 2 }],
      });
      const endpoint = new sagemakerAlpha.Endpoint(stack, `Endpoint${i}`, { endpointName: `fraud-${stackIndex}-${i}`, endpointConfig: config });
      endpoint.findInstanceProductionVariant('AllTraffic').autoScaleInstanceCount({ minCapacity: 2, maxCapacity: 4 })
        .scaleOnInvocations('Invocations', { maxRequestsPerSecond: 10 });
    }
  });
  return app;
}
