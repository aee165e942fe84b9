import { existsSync, readFileSync } from 'fs';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';

/** One finding of a policy-validation plugin (cdk-nag pack or CloudFormation Validate). */
export interface ConformanceFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly constructPath: string;
  readonly description: string;
}

/** Thrown when synthesis fails conformance; lists every finding. */
export class ConformanceError extends Error {
  public constructor(public readonly findings: ConformanceFinding[], cause: string) {
    super(`${findings.length} conformance finding(s):\n${findings.map((f) => `  ${f.rule} at ${f.constructPath}: ${f.description}`).join('\n')}\n${cause}`);
  }
}

/**
 * An app that checks its output like CI does: aws-cdk-lib's built-in template validation as errors
 * (`@aws-cdk/core:validateAgainstDefaultRules`) and the cdk-nag packs AwsSolutions, NIST 800-53 R5 and HIPAA Security.
 */
export function conformingApp(props: AppProps = {}): App {
  const app = new App({ ...props, context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...props.context } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app));
  return app;
}

/** Synthesizes; on any finding throws a `ConformanceError` naming each rule and construct. */
export function synthesizeConforming(app: App): CloudAssembly {
  const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return app.synth();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reportFile = /found in: (\S+)/.exec(message)?.[1];
    if (!reportFile || !existsSync(reportFile)) {
      throw error;
    }
    throw new ConformanceError(readFindings(reportFile), message.split('\n')[0]);
  } finally {
    silenced.mockRestore();
  }
}

function readFindings(reportFile: string): ConformanceFinding[] {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  return (report.pluginReports ?? []).flatMap((plugin: any) => (plugin.violations ?? [])
    .filter((violation: any) => violation.severity !== 'warning')
    .flatMap((violation: any) => (violation.violatingConstructs ?? []).map((construct: any) => ({
      plugin: plugin.pluginName,
      rule: violation.ruleName,
      constructPath: construct.constructPath,
      description: violation.description,
    }))));
}
