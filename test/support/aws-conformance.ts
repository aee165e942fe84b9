import { App, type AppProps } from 'aws-cdk-lib';
import { addAwsConformanceChecks } from '../../lib/testing/aws-conformance';

// The AWS conformance checks ship with the library (`ml-platform-constructs/testing`); the repository's tests use the same code.
export { ConformanceError, synthesizeConforming, type ConformanceFinding } from '../../lib/testing/aws-conformance';

/**
 * An app that checks its output like CI does: aws-cdk-lib's built-in template validation as errors
 * (`@aws-cdk/core:validateAgainstDefaultRules`), the cdk-nag packs AwsSolutions, NIST 800-53 R5 and HIPAA Security,
 * and AWS Control Tower's proactive controls (cfn-guard rules shipped with `@cdklabs/cdk-validator-cfnguard`).
 */
export function conformingApp(props: AppProps = {}): App {
  return addAwsConformanceChecks(new App(props));
}
