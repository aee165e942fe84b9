import { spawn, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import { type AddressInfo, createServer as createNetServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { driftFetchScript, DriftMonitor, type DriftMonitorProps } from '../../constructs/drift-monitor/k8s';
import { MODEL } from '../support/canary-fixtures';

/**
 * The monitor's pod, step by step on this machine: the ConfigMap's scripts as mounted, `window` (python3), `fetch` (the
 * construct's copy script with this machine's AWS CLI against moto_server, the S3 emulator) and `run` (python3,
 * pushing to a Pushgateway stand-in). What only a cluster shows (the images, the mounts, the API server) is left out.
 */
const HAVE_TOOLS = ['moto_server', 'aws'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
const describeWithTools = HAVE_TOOLS ? describe : describe.skip;
const ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'eu-west-1', PYTHONDONTWRITEBYTECODE: '1' };

function run(command: string, args: string[], env: Record<string, string | undefined>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...ENV, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('close', (status) => resolve({ status, output }));
  });
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The monitor's ConfigMap files written to a folder, as the pod mounts them, with the Pushgateway at `pushgateway`. */
function mountedScripts(props: Partial<DriftMonitorProps>, pushgateway: string): string {
  const chart = new Chart(new App({ outdir: 'unused' }), 'drift', { namespace: 'ml' });
  new DriftMonitor(chart, 'FraudDrift', {
    name: 'fraud-drift',
    model: MODEL,
    baselineUri: 's3://models-eu/fraud/1.4.0/baseline.json',
    pushgatewayAddress: pushgateway,
    source: { kind: 'endpoint-capture', uri: 's3://fraud-data-eu/data-capture/', endpointName: 'fraud' },
    ...props,
  });
  const data = chart.toJson().find((o) => o.kind === 'ConfigMap').data as Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'drift-scripts-'));
  for (const [file, content] of Object.entries(data)) {
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

describeWithTools('Kubernetes DriftMonitor pod steps against moto_server', () => {
  let moto: ReturnType<typeof spawn>;
  let endpoint = '';
  let gateway: Server;
  let gatewayUrl = '';
  const pushes: Array<{ path: string; body: string }> = [];

  beforeAll(async () => {
    const port = await freePort();
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    // moto reads the bucket from the host name: localhost, not 127.0.0.1.
    endpoint = `http://localhost:${port}`;
    for (let waited = 0; waited < 20_000; waited += 200) {
      if ((await run('aws', ['--endpoint-url', endpoint, 's3api', 'list-buckets'], {})).status === 0) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    gateway = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => { pushes.push({ path: `${request.method} ${request.url}`, body }); response.end(); });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    const seed = await run('python3', ['-c', SEED, endpoint], {});
    expect(seed).toEqual({ status: 0, output: '' });
  }, 60_000);

  afterAll(async () => {
    moto?.kill();
    await new Promise((resolve) => gateway?.close(resolve));
  });

  test('GIVEN a drifted hour of captured requests THEN window, fetch and run copy the hour without markers, compare it and push an alarm', async () => {
    const scripts = mountedScripts({}, gatewayUrl);
    const work = mkdtempSync(join(tmpdir(), 'drift-work-'));
    const config = ['--config', join(scripts, 'monitor.json'), '--work', work];
    // The 03:10 UTC slot of 2026-11-25: the window is 02:00-03:00.
    expect((await run('python3', [join(scripts, 'drift_k8s.py'), 'window', ...config], { DRIFT_JOB_NAME: 'fraud-drift-29926270' })).status).toBe(0);
    const fetch = await run('sh', ['-c', driftFetchScript(work)], {
      DRIFT_BUCKET: 'fraud-data-eu', DRIFT_BASELINE_URI: 's3://models-eu/fraud/1.4.0/baseline.json', AWS_ENDPOINT_URL_S3: endpoint, HOME: work, TZ: 'UTC',
    });
    expect(fetch).toEqual({ status: 0, output: '' });
    expect(readdirSync(join(work, 'data', '1')).sort()).toEqual(['part-0.jsonl', 'part-1.jsonl']);
    const result = await run('python3', [join(scripts, 'drift_k8s.py'), 'run', ...config], {});
    expect(result.status).toBe(0);
    expect(JSON.parse(result.output.trim().split('\n').pop()!)).toEqual({ status: 'alarm', window: '20261125T02', pushed: 200 });
    expect(pushes.map((p) => p.path)).toEqual(['PUT /metrics/job/ml-platform-drift/model/fraud/monitor@base64/bWwvZnJhdWQtZHJpZnQ=']);
    expect(pushes[0].body).toContain('ml_platform_drift_features_at_alarm 1\n');
  }, 120_000);

  test('GIVEN a prefix source THEN each copied file\'s time is its object\'s LastModified (what selects the window\'s files)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'drift-work-'));
    mkdirSync(join(work, 'data'));
    writeFileSync(join(work, 'prefixes.txt'), 'requests/\n');
    const fetch = await run('sh', ['-c', driftFetchScript(work)], {
      DRIFT_BUCKET: 'fraud-data-eu', DRIFT_BASELINE_URI: 's3://models-eu/fraud/1.4.0/baseline.json', AWS_ENDPOINT_URL_S3: endpoint, HOME: work, TZ: 'UTC',
    });
    expect(fetch.status).toBe(0);
    const head = await run('aws', ['--endpoint-url', endpoint, 's3api', 'head-object', '--bucket', 'fraud-data-eu', '--key', 'requests/a.jsonl'], {});
    const lastModified = Date.parse(JSON.parse(head.output).LastModified) / 1000;
    expect(Math.abs(statSync(join(work, 'data', '1', 'a.jsonl')).mtimeMs / 1000 - lastModified)).toBeLessThanOrEqual(1);
  }, 120_000);
});

// The objects: a baseline, two drifted capture files and a marker in the 02:00 hour, an hour before it, two request files.
const SEED = `
import io, json, os, random, sys, tempfile
import boto3
sys.path.insert(0, ${JSON.stringify(join(__dirname, '..', '..', 'constructs', 'drift-monitor', 'drift'))})
sys.dont_write_bytecode = True
import drift
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='eu-west-1')
for bucket in ('fraud-data-eu', 'models-eu'):
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
rng = random.Random(7)
work = tempfile.mkdtemp()
with open(os.path.join(work, 'train.csv'), 'w') as f:
    f.write('amount,age\\n' + ''.join(f'{rng.gauss(0, 1)},{rng.expovariate(1)}\\n' for _ in range(5000)))
sys.stdout = io.StringIO()
assert drift.main(['baseline', '--data', os.path.join(work, 'train.csv'), '--out', os.path.join(work, 'b.json'), '--model-name', 'fraud', '--model-version', '1.4.0']) == 0
sys.stdout = sys.__stdout__
s3.upload_file(os.path.join(work, 'b.json'), 'models-eu', 'fraud/1.4.0/baseline.json')
def capture(shift):
    rows = [(rng.gauss(shift, 1), rng.expovariate(1)) for _ in range(1500)]
    return ''.join(json.dumps({'captureData': {'endpointInput': {'observedContentType': 'text/csv', 'mode': 'INPUT', 'data': f'{a},{b}', 'encoding': 'CSV'}}}) + '\\n' for a, b in rows).encode()
for part in range(2):
    s3.put_object(Bucket='fraud-data-eu', Key=f'data-capture/fraud/AllTraffic/2026/11/25/02/part-{part}.jsonl', Body=capture(0.8))
s3.put_object(Bucket='fraud-data-eu', Key='data-capture/fraud/AllTraffic/2026/11/25/02/_SUCCESS', Body=b'')
s3.put_object(Bucket='fraud-data-eu', Key='data-capture/fraud/AllTraffic/2026/11/25/01/old.jsonl', Body=capture(5))
s3.put_object(Bucket='fraud-data-eu', Key='requests/a.jsonl', Body=b'{"amount": 1, "age": 2}\\n')
`;
