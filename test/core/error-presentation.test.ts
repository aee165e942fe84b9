import { execFileSync } from 'child_process';
import { join } from 'path';
import { inspect } from 'util';
import { App, Stack } from 'aws-cdk-lib';
import { applyResidency, DataBucket, MlPlatformError, ModelArtifact, Residency } from '../../constructs/aws';

const ROOT = join(__dirname, '..', '..');
const BAD_URI_MESSAGE = 'ModelArtifact.fromUri: invalid uri "s3://m". Allowed: s3://<bucket>/<key>, https://<host>/<path> or '
  + 'oci://<registry>/<repository>[:tag|@sha256:<digest>]. Fix: give the full URI of the model artifact, e.g. "s3://my-models/fraud/1.4.0/model.tar.gz"';

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was thrown');
}

describe('MlPlatformError presentation', () => {
  test('GIVEN an MlPlatformError THEN Node prints one message and the caller\'s frames, not its fields again', () => {
    const printed = inspect(thrown(() => ModelArtifact.fromUri('s3://m'))).split('\n');
    expect(printed[0]).toBe(`«MlPlatformError» ${BAD_URI_MESSAGE}`);
    expect(printed.slice(1).filter((line) => !line.startsWith('    '))).toEqual([]);
    expect(printed[1]).toBe('    ...ml-platform-constructs...');
  });

  test('GIVEN an MlPlatformError THEN its fields are still there to read', () => {
    const error = thrown(() => ModelArtifact.fromUri('s3://m')) as MlPlatformError;
    expect({ where: error.where, prop: error.prop, value: error.value }).toEqual({ where: 'ModelArtifact.fromUri', prop: 'uri', value: 's3://m' });
    expect(error).toBeInstanceOf(MlPlatformError);
  });

  test('GIVEN an app that throws an MlPlatformError THEN the uncaught error reads as one message', () => {
    const script = `require(${JSON.stringify(join(ROOT, 'constructs/aws.ts'))}).ModelArtifact.fromUri('s3://m');`;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
        cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.dev.json') }, encoding: 'utf8', stdio: 'pipe',
      });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
    }
    expect(stderr.split('\n').filter((line) => line.startsWith('«'))).toEqual([`«MlPlatformError» ${BAD_URI_MESSAGE}`]);
    expect(stderr).not.toMatch(/^\s+(where|prop|allowed|fix): /m);
  });
});

describe('residency errors at synthesis', () => {
  test('GIVEN a policy on the app and a stack outside it THEN the error is listed under the stack, not under []', () => {
    const app = new App();
    applyResidency(app, Residency.EU);
    new DataBucket(new Stack(app, 'Scoring', { env: { region: 'us-east-1' } }), 'Data');
    const message = thrown(() => app.synth()).message;
    expect(message).toMatch(/^ {2}\[Scoring\] Scoring: invalid env\.region of stack Scoring "us-east-1"\. /m);
    expect(message).not.toMatch(/^ {2}\[\] /m);
  });
});
