import type { App } from 'aws-cdk-lib';
import { PlatformStack } from './platform-stack';

/** Defines the example ML platform in an app: one stack holding the platform, residency set on the platform. */
export function definePlatform(app: App): PlatformStack {
  return new PlatformStack(app, 'MlPlatform', {
    // Ireland: an EU region with SageMaker, Step Functions, EventBridge Scheduler and IoT Greengrass.
    env: { region: 'eu-west-1' },
    description: 'ml-platform-constructs example ML platform',
    // `cdk deploy -c fraudModelVersion=1.5.0` rolls a new model version out through the canary and the device waves;
    // `-c fraudModelSha256=<digest>` gives the digest of a version examples/shared/fraud-model.ts does not list.
    fraudModelVersion: app.node.tryGetContext('fraudModelVersion'),
    fraudModelSha256: app.node.tryGetContext('fraudModelSha256'),
  });
}
