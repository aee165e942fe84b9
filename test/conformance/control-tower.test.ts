import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, type PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { definePlatform } from '../../examples/ml-platform/platform';
import { ControlTowerControls, controlTowerRuleFiles, controlTowerRulesFor, templateResourceTypes } from '../../lib/testing/control-tower';

/** Each violation as `rule resource`, sorted: what a report says, without its order. */
function findings(report: PolicyValidationPluginReportBeta1): string[] {
  return report.violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.resourceLogicalId}`)).sort();
}

describe('ControlTowerControls', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'control-tower-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('GIVEN the installed validator THEN every one of its 237 rule files names the resource types it queries', () => {
    const files = controlTowerRuleFiles();
    expect(files).toHaveLength(237);
    expect(files.filter((file) => file.resourceTypes.length === 0)).toEqual([]);
  });

  test('GIVEN only S3 buckets THEN the rules run are the ten S3 bucket rules and those on resources that name a bucket', () => {
    expect(controlTowerRulesFor(new Set(['AWS::S3::Bucket'])).map((rule) => basename(rule.path))).toEqual([
      'ct-cloudfront-pr-10.guard', 'ct-cloudfront-pr-5.guard', 'ct-codebuild-pr-3.guard', 'ct-elasticloadbalancing-pr-10.guard',
      'ct-elasticloadbalancing-pr-6.guard', 'ct-redshift-pr-3.guard', 'ct-s3-pr-1.guard', 'ct-s3-pr-10.guard', 'ct-s3-pr-11.guard',
      'ct-s3-pr-2.guard', 'ct-s3-pr-3.guard', 'ct-s3-pr-4.guard', 'ct-s3-pr-5.guard', 'ct-s3-pr-6.guard', 'ct-s3-pr-8.guard', 'ct-s3-pr-9.guard',
    ]);
  });

  test('GIVEN a template with no resource type any rule queries THEN all 237 rules pass or skip, and none is run', () => {
    const template = join(outdir, 'Unqueried.template.json');
    writeFileSync(template, JSON.stringify({ Resources: { Placeholder: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }));
    const context = { templatePaths: [template], appConstruct: new App() };
    expect(new CfnGuardValidator().validate(context)).toEqual({ success: true, violations: [] });
    expect(controlTowerRulesFor(templateResourceTypes([template]))).toEqual([]);
    expect(new ControlTowerControls().validate(context)).toEqual({ success: true, violations: [] });
  });

  test('GIVEN the example platform\'s template THEN the selected rules report exactly the findings of all 237 rules', () => {
    const app = new App({ outdir });
    definePlatform(app);
    const templatePaths = app.synth().stacks.map((stack) => join(outdir, stack.templateFile));
    const context = { templatePaths, appConstruct: app };
    const selected = controlTowerRulesFor(templateResourceTypes(templatePaths));
    expect(selected.length).toBeLessThan(controlTowerRuleFiles().length / 3);
    const all = findings(new CfnGuardValidator().validate(context));
    // Before acknowledgements apply: the findings the example acknowledges with their reasons.
    expect(all.length).toBeGreaterThan(0);
    expect(findings(new ControlTowerControls().validate(context))).toEqual(all);
  });

  test('GIVEN the plugin THEN it reports as cdk-validator-cfnguard with every Control Tower rule id, so acknowledgements apply unchanged', () => {
    const plugin = new ControlTowerControls();
    const all = new CfnGuardValidator();
    expect([plugin.name, plugin.version, plugin.ruleIds]).toEqual(['cdk-validator-cfnguard', all.version, all.ruleIds]);
  });
});
