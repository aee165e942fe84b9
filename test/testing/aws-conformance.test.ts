import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataBucket, Residency } from '../../constructs/aws';
import { addAwsConformanceChecks, ConformanceError, synthesizeConforming } from '../../constructs/testing';

/** The plugins that reported findings on an app with one default bucket (no logging, versioning or KMS: a finding for every pack). */
function pluginsReportingOn(options: Parameters<typeof addAwsConformanceChecks>[1]): string[] {
  const app = addAwsConformanceChecks(new App(), options);
  new s3.Bucket(new Stack(app, 'Probe', { env: { region: 'eu-west-1' } }), 'Bucket');
  try {
    synthesizeConforming(app);
    return [];
  } catch (error) {
    if (!(error instanceof ConformanceError)) {
      throw error;
    }
    return [...new Set(error.findings.map((finding) => finding.plugin))].sort();
  }
}

describe('addAwsConformanceChecks', () => {
  test('GIVEN the defaults THEN the three cdk-nag packs and the Control Tower controls report', () => {
    expect(pluginsReportingOn({})).toEqual(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'cdk-validator-cfnguard']);
  });

  test('GIVEN controlTower false THEN only the cdk-nag packs report', () => {
    expect(pluginsReportingOn({ controlTower: false })).toEqual(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5']);
  });

  test('GIVEN a residency policy THEN a stack outside it fails synthesis', () => {
    const app = addAwsConformanceChecks(new App(), { residency: Residency.EU });
    new DataBucket(new Stack(app, 'Probe', { env: { region: 'us-east-1' } }), 'Data');
    expect(() => synthesizeConforming(app)).toThrow(/Probe: invalid env\.region of stack Probe "us-east-1"/);
  });

  test('GIVEN an app whose context sets the built-in validation flag THEN its value is kept', () => {
    const app = addAwsConformanceChecks(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } }));
    expect(app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBe(false);
  });

  test('GIVEN an app without the flag THEN the built-in validation is turned on', () => {
    expect(addAwsConformanceChecks(new App()).node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBe(true);
  });
});
