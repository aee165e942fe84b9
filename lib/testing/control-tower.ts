/* eslint-disable @typescript-eslint/no-require-imports -- the validator is an optional peer, loaded only when called */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join } from 'path';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

/** One Control Tower proactive control shipped with `@cdklabs/cdk-validator-cfnguard`: a cfn-guard rule file. */
export interface ControlTowerRuleFile {
  /** The rule file's absolute path. */
  readonly path: string;
  /** The CloudFormation resource types the rule file queries (`AWS::S3::Bucket`, ...). */
  readonly resourceTypes: readonly string[];
}

const RESOURCE_TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

/** The directory of the Control Tower rules inside `@cdklabs/cdk-validator-cfnguard`. */
function controlTowerRulesDirectory(): string {
  return join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
}

function guardFiles(directory: string): string[] {
  return readdirSync(directory).sort().flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) {
      return guardFiles(path);
    }
    return path.endsWith('.guard') ? [path] : [];
  });
}

let ruleFiles: ControlTowerRuleFile[] | undefined;

/** Every Control Tower rule file of the installed validator with the resource types it queries (read once). */
export function controlTowerRuleFiles(): readonly ControlTowerRuleFile[] {
  ruleFiles ??= guardFiles(controlTowerRulesDirectory()).map((path) => ({
    path,
    resourceTypes: [...new Set(readFileSync(path, 'utf8').match(RESOURCE_TYPE) ?? [])].sort(),
  }));
  return ruleFiles;
}

/**
 * The rule files that can find anything in templates holding `resourceTypes`: those querying at least one of the
 * types, and any rule file naming no resource type at all (kept, since nothing shows what it applies to).
 */
export function controlTowerRulesFor(resourceTypes: ReadonlySet<string>): ControlTowerRuleFile[] {
  return controlTowerRuleFiles().filter((rule) => rule.resourceTypes.length === 0 || rule.resourceTypes.some((type) => resourceTypes.has(type)));
}

/** The resource types of CloudFormation templates on disk. */
export function templateResourceTypes(templatePaths: readonly string[]): Set<string> {
  const types = new Set<string>();
  for (const path of templatePaths) {
    const template = JSON.parse(readFileSync(path, 'utf8'));
    for (const resource of Object.values<any>(template.Resources ?? {})) {
      if (typeof resource?.Type === 'string') {
        types.add(resource.Type);
      }
    }
  }
  return types;
}

/**
 * AWS Control Tower's proactive controls, run by `@cdklabs/cdk-validator-cfnguard`'s `CfnGuardValidator` with only
 * the rule files that query a resource type present in the templates. Every Control Tower rule selects its resources
 * by type and applies only when some exist (`%resources not empty`), so a rule file whose types are all absent can
 * only skip; cfn-guard still costs about 20 ms to load each of the 237 files against a template, which this saves.
 * Reports under the validator's own name, so acknowledgements (`cdk-validator-cfnguard::<rule>`) apply unchanged.
 */
export class ControlTowerControls implements IPolicyValidationPluginBeta1 {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  public constructor() {
    const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard') as typeof import('@cdklabs/cdk-validator-cfnguard');
    const all = new CfnGuardValidator();
    this.name = all.name;
    this.version = all.version;
    this.ruleIds = all.ruleIds;
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const rules = controlTowerRulesFor(templateResourceTypes(context.templatePaths));
    if (rules.length === 0) {
      return { success: true, violations: [] };
    }
    const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard') as typeof import('@cdklabs/cdk-validator-cfnguard');
    return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: rules.map((rule) => rule.path) }).validate(context);
  }
}
