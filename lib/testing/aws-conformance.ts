/* eslint-disable @typescript-eslint/no-require-imports -- the engine and its validators are optional peers, loaded only when called */
import { existsSync, readFileSync } from 'fs';
import type { IConstruct } from 'constructs';
import type { Residency } from '../core/residency';

/** One finding of a policy-validation plugin (a cdk-nag pack, the Control Tower controls, or CloudFormation Validate). */
export interface ConformanceFinding {
  /** The plugin that reported it, e.g. `AwsSolutions-Checks` or `cdk-validator-cfnguard`. */
  readonly plugin: string;
  /** The rule, e.g. `AwsSolutions-S1`. */
  readonly rule: string;
  /** The construct path of the resource at fault. */
  readonly constructPath: string;
  /** What the rule requires. */
  readonly description: string;
}

/** Thrown by `synthesizeConforming` when synthesis fails conformance; lists every finding. */
export class ConformanceError extends Error {
  /** Every error-level finding, one per rule and construct. */
  public readonly findings: ConformanceFinding[];

  public constructor(findings: ConformanceFinding[], cause: string) {
    super(`${findings.length} conformance finding(s):\n${findings.map((f) => `  ${f.rule} at ${f.constructPath}: ${f.description}`).join('\n')}\n${cause}`);
    this.name = 'ConformanceError';
    this.findings = findings;
  }
}

/** Options for `addAwsConformanceChecks`. */
export interface AwsConformanceOptions {
  /**
   * A residency policy to enforce on the whole app (`applyResidency`): stacks outside it, replication out of it
   * and data at rest without a customer-managed key fail synthesis.
   * @default - none: only policies the app sets itself are enforced
   */
  readonly residency?: Residency;
  /**
   * AWS Control Tower's proactive controls through `@cdklabs/cdk-validator-cfnguard` (which ships the cfn-guard binary).
   * @default true
   */
  readonly controlTower?: boolean;
}

// aws-cdk-lib's feature flag that turns CloudFormation's own template validation into synthesis errors.
const VALIDATE_AGAINST_DEFAULT_RULES = '@aws-cdk/core:validateAgainstDefaultRules';

/**
 * Makes a CDK app check its output like this library's CI does: aws-cdk-lib's built-in template validation as
 * errors (unless the app's context sets the flag itself), the cdk-nag packs AwsSolutions, NIST 800-53 R5 and HIPAA Security, AWS Control Tower's proactive
 * controls, and optionally a residency policy. Call it on a new `App`, before any stack is added (context can
 * only be set on a construct without children). Needs the optional peers `cdk-nag` and
 * `@cdklabs/cdk-validator-cfnguard`. Returns the app.
 */
export function addAwsConformanceChecks<T extends IConstruct>(app: T, options: AwsConformanceOptions = {}): T {
  const { Validations } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const nag = require('cdk-nag') as typeof import('cdk-nag');
  if (app.node.tryGetContext(VALIDATE_AGAINST_DEFAULT_RULES) === undefined) {
    app.node.setContext(VALIDATE_AGAINST_DEFAULT_RULES, true);
  }
  const plugins = [new nag.AwsSolutionsChecks(app), new nag.NIST80053R5Checks(app), new nag.HIPAASecurityChecks(app)];
  const validations = Validations.of(app);
  validations.addPlugins(...plugins);
  if (options.controlTower ?? true) {
    // Every Control Tower rule, run only where it can apply (rules on resource types absent from the templates can only skip).
    const { ControlTowerControls } = require('./control-tower') as typeof import('./control-tower');
    validations.addPlugins(new ControlTowerControls());
  }
  if (options.residency) {
    const { applyResidency } = require('../aws/residency') as typeof import('../aws/residency');
    applyResidency(app, options.residency);
  }
  return app;
}

/**
 * Synthesizes an app prepared with `addAwsConformanceChecks`; on any error-level finding throws a
 * `ConformanceError` naming each rule and construct (read from the policy-validation report), with the
 * plugins' console report silenced. Other synthesis errors (e.g. an `MlPlatformError`) are thrown as they are.
 */
export function synthesizeConforming<T>(app: { synth(): T }): T {
  const consoleError = console.error;
  console.error = () => undefined;
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
    console.error = consoleError;
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
