import { python } from './drift-fixtures';

/**
 * drift_lambda.py against in-memory S3, CloudWatch and Step Functions clients (the Lambda runtime's boto3 is not
 * needed: `run` takes the clients).
 */
const FAKES = `
import datetime, io, json, os, random, sys, tempfile
sys.stdout = sys.stderr  # drift.py's progress lines; the result is printed to the real stdout
import drift, drift_lambda

class Paginator:
    def __init__(self, store): self.store = store
    def paginate(self, Bucket, Prefix):
        return [{'Contents': [{'Key': k, 'Size': len(v), 'LastModified': datetime.datetime(2026, 11, 25, 2, 30, tzinfo=datetime.timezone.utc)}
                              for (b, k), v in sorted(self.store.items()) if b == Bucket and k.startswith(Prefix)]}]

class S3:
    def __init__(self): self.store = {}
    def get_paginator(self, name): return Paginator(self.store)
    def download_file(self, bucket, key, path):
        with open(path, 'wb') as out: out.write(self.store[(bucket, key)])
    def put_object(self, Bucket, Key, Body, ContentType): self.store[(Bucket, Key)] = Body

class CloudWatch:
    def __init__(self): self.calls = []
    def put_metric_data(self, Namespace, MetricData): self.calls.append((Namespace, MetricData))

class StepFunctions:
    def __init__(self, running): self.running, self.started = running, []
    def list_executions(self, stateMachineArn, statusFilter, maxResults):
        return {'executions': [{'name': name} for name in self.running]}
    def start_execution(self, stateMachineArn, name, input): self.started.append((name, json.loads(input)))

def capture(rows):
    lines = [json.dumps({'captureData': {'endpointInput': {'observedContentType': 'text/csv', 'mode': 'INPUT', 'data': f'{a},{b}', 'encoding': 'CSV'}}}) for a, b in rows]
    return ('\\n'.join(lines) + '\\n').encode()

rng = random.Random(7)
work = tempfile.mkdtemp()
train = os.path.join(work, 'train.csv')
with open(train, 'w') as f:
    f.write('amount,age\\n' + ''.join(f'{rng.gauss(0, 1)},{rng.expovariate(1)}\\n' for _ in range(5000)))
assert drift.main(['baseline', '--data', train, '--out', os.path.join(work, 'b.json'), '--model-name', 'fraud', '--model-version', '1.4.0']) == 0
s3 = S3()
s3.store[('models', 'fraud/baseline.json')] = open(os.path.join(work, 'b.json'), 'rb').read()
shift = data['shift']
for part in range(2):
    s3.store[('data', f'data-capture/fraud/AllTraffic/2026/11/25/02/part-{part}.jsonl')] = capture([(rng.gauss(shift, 1), rng.expovariate(1)) for _ in range(1500)])
s3.store[('data', 'data-capture/fraud/AllTraffic/2026/11/25/01/old.jsonl')] = capture([(100.0, 100.0)] * 10)
config = {
    'kind': 'endpoint-capture', 'bucket': 'data', 'windowTemplate': 'data-capture/fraud/{variant}/{yyyy}/{mm}/{dd}/{hh}/', 'variantNames': ['AllTraffic'],
    'format': 'sagemaker-capture', 'everyHours': 1, 'baselineBucket': 'models', 'baselineKey': 'fraud/baseline.json', 'reportBucket': 'platform',
    'reportPrefix': 'reports/fraud-drift/', 'namespace': 'MlPlatform/DriftMonitor', 'monitor': 'fraud-drift', 'modelName': 'fraud',
    'compareArguments': ['compare', '--model-name=fraud', '--model-version=1.4.0'], 'maxWindowBytes': 1 << 30, 'retrainingStateMachineArn': 'arn:gate',
}
cw, sfn = CloudWatch(), StepFunctions(data['running'])
out = drift_lambda.run({'scheduledTime': '2026-11-25T03:10:00Z'}, config, s3, cw, sfn, tempfile.mkdtemp())
report = json.loads(s3.store[('platform', 'reports/fraud-drift/2026/11/25/02/report.json')])
`;

function runWindow(shift: number, running: string[] = []): any {
  return python(`${FAKES}
sys.stdout = sys.__stdout__
result = {'out': out, 'rows': report['window']['rows'], 'sampling': report['sampling'], 'statuses': {k: v['status'] for k, v in report['features'].items()},
          'metrics': sorted({(d['MetricName'], tuple(x['Value'] for x in d['Dimensions'])) for _, data in cw.calls for d in data}),
          'started': sfn.started, 'evidence': sorted(k for (b, k) in s3.store if 'evidence' in k)}
`, { shift, running });
}

describe('drift_lambda.py', () => {
  test('GIVEN a run scheduled at 03:10 THEN the window is 02:00-03:00 and the hour prefix of each variant', () => {
    const result = python(`import drift_lambda
start, end = drift_lambda.window_of('2026-11-25T03:10:00Z', 1)
result = [start.isoformat(), end.isoformat(), drift_lambda.window_prefixes({'kind': 'endpoint-capture', 'windowTemplate': 'c/ep/{variant}/{yyyy}/{mm}/{dd}/{hh}/', 'variantNames': ['AllTraffic', 'Shadow']}, start, end)]`);
    expect(result).toEqual(['2026-11-25T02:00:00+00:00', '2026-11-25T03:00:00+00:00', ['c/ep/AllTraffic/2026/11/25/02/', 'c/ep/Shadow/2026/11/25/02/']]);
  });

  test('GIVEN a daily run at 00:10 on a pipeline\'s inputs THEN it reads the run date of the day that ended', () => {
    const result = python(`import drift_lambda
start, end = drift_lambda.window_of('2026-11-25T00:10:00Z', 24)
result = drift_lambda.window_prefixes({'kind': 'pipeline-inputs', 'windowTemplate': 'in/run_date={yyyy}-{mm}-{dd}/'}, start, end)`);
    expect(result).toEqual(['in/run_date=2026-11-24/']);
  });

  test('GIVEN 100 objects of 10 bytes and a 300-byte budget THEN 30 objects are read, the same 30 for the same window', () => {
    const result = python(`import drift_lambda
objects = [{'Key': f'k{i:03d}', 'Size': 10} for i in range(100)]
a = drift_lambda.choose_objects(objects, 300, '20261125T02')
b = drift_lambda.choose_objects(objects, 300, '20261125T02')
c = drift_lambda.choose_objects(objects, 300, '20261125T03')
result = [len(a), a == b, a != c, len(drift_lambda.choose_objects(objects, 1000, 'x'))]`);
    expect(result).toEqual([30, true, true, 100]);
  });

  test('GIVEN a drifted hour of captured requests THEN the report, PSI and KS per feature, counts per status, and one retraining request', () => {
    const result = runWindow(0.8);
    expect(result.rows).toBe(3000);
    expect(result.statuses).toEqual({ amount: 'alarm', age: 'ok' });
    expect(result.sampling).toEqual({ objects_listed: 2, objects_read: 2, bytes_listed: result.sampling.bytes_read, bytes_read: result.sampling.bytes_read, max_window_bytes: 1073741824, rule: 'uniform random objects, seeded by the window' });
    expect(result.metrics).toEqual([
      ['FeaturesAtAlarm', ['fraud', 'fraud-drift']], ['FeaturesAtWarn', ['fraud', 'fraud-drift']], ['FeaturesInsufficientData', ['fraud', 'fraud-drift']],
      ['KS', ['fraud', 'fraud-drift', 'age']], ['KS', ['fraud', 'fraud-drift', 'amount']],
      ['PSI', ['fraud', 'fraud-drift', 'age']], ['PSI', ['fraud', 'fraud-drift', 'amount']], ['Reports', ['fraud', 'fraud-drift']],
    ]);
    expect(result.started.map(([name, input]: [string, any]) => [name, input.window, input.report])).toEqual([['fraud-20261125T02', '20261125T02', 's3://platform/reports/fraud-drift/2026/11/25/02/report.json']]);
    expect(result.out.retraining).toEqual({ request: 'fraud-20261125T02', started: true });
  });

  test('GIVEN a drifted hour while a request is open THEN no new request: the evidence is written beside the open one', () => {
    const result = runWindow(0.8, ['fraud-20261125T01']);
    expect(result.started).toEqual([]);
    expect(result.evidence).toEqual(['reports/fraud-drift/retraining/fraud-20261125T01/evidence/20261125T02.json']);
  });

  test('GIVEN an hour from the training distribution THEN ok and no request', () => {
    const result = runWindow(0);
    expect([result.out.status, result.started]).toEqual(['ok', []]);
  });
});
