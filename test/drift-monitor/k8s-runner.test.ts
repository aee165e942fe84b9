import { python } from './drift-fixtures';

/**
 * drift_k8s.py against a fake Pushgateway and Kubernetes API (one Python HTTP server recording every request), over a
 * window the object-store container would have copied.
 */
const SERVER = `
import datetime, http.server, json, os, random, sys, tempfile, threading
sys.stdout = sys.stderr  # drift.py's progress lines and the printed report; the result is printed to the real stdout
import drift, drift_k8s

class Fake(http.server.BaseHTTPRequestHandler):
    calls, job_status, existing = [], 201, None
    def log_message(self, *args): pass
    def _answer(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status); self.send_header('Content-Type', 'application/json'); self.send_header('Content-Length', str(len(payload))); self.end_headers()
        self.wfile.write(payload)
    def _record(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length).decode() if length else ''
        Fake.calls.append({'method': self.command, 'path': self.path, 'type': self.headers.get('Content-Type'), 'auth': self.headers.get('Authorization'), 'body': body})
    def do_PUT(self): self._record(); self._answer(200, {})
    def do_POST(self): self._record(); self._answer(Fake.job_status, {'message': 'jobs.batch "x" already exists'} if Fake.job_status == 409 else {})
    def do_GET(self): self._record(); self._answer(200, Fake.existing)
    def do_PATCH(self): self._record(); self._answer(200, {})

server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Fake)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f'http://127.0.0.1:{server.server_address[1]}'
METRICS = {'psi': 'ml_platform_drift_psi', 'ks': 'ml_platform_drift_ks', 'ksPValue': 'ml_platform_drift_ks_p_value',
           'featuresAtWarn': 'ml_platform_drift_features_at_warn', 'featuresAtAlarm': 'ml_platform_drift_features_at_alarm',
           'featuresInsufficientData': 'ml_platform_drift_features_insufficient_data', 'worstStatus': 'ml_platform_drift_worst_status',
           'lastReportTimestamp': 'ml_platform_drift_last_report_timestamp_seconds'}
config = {
    'kind': 'endpoint-capture', 'windowTemplate': 'data-capture/fraud/{variant}/{yyyy}/{mm}/{dd}/{hh}/', 'variantNames': ['AllTraffic'],
    'format': 'sagemaker-capture', 'everyHours': 1, 'maxWindowBytes': 1 << 30,
    'compareArguments': ['compare', '--model-name=fraud', '--model-version=1.4.0'],
    'model': {'name': 'fraud', 'version': '1.4.0'}, 'monitor': 'fraud-drift',
    'pushgateway': {'url': base, 'job': 'ml-platform-drift'}, 'metrics': METRICS,
    'statusCodes': {'ok': 0, 'insufficient_data': 1, 'warn': 2, 'alarm': 3},
    'retraining': {'jobName': 'fraud-drift-retrain', 'namespace': 'ml', 'approvalTimeoutHours': 72},
}
template = {'apiVersion': 'batch/v1', 'kind': 'Job', 'metadata': {'name': 'fraud-drift-retrain', 'labels': {'app': 'retrain'}},
            'spec': {'suspend': True, 'template': {'spec': {'restartPolicy': 'Never', 'containers': [{'name': 'train', 'image': 'train@sha256:' + 'a' * 64}]}}}}

def capture(rows):
    lines = [json.dumps({'captureData': {'endpointInput': {'observedContentType': 'text/csv', 'mode': 'INPUT', 'data': f'{a},{b}', 'encoding': 'CSV'}}}) for a, b in rows]
    return '\\n'.join(lines) + '\\n'

def copied_window(shift, rows=1500):
    rng = random.Random(7)
    work = tempfile.mkdtemp()
    train = os.path.join(work, 'train.csv')
    with open(train, 'w') as f:
        f.write('amount,age\\n' + ''.join(f'{rng.gauss(0, 1)},{rng.expovariate(1)}\\n' for _ in range(5000)))
    assert drift.main(['baseline', '--data', train, '--out', os.path.join(work, 'baseline.json'), '--model-name', 'fraud', '--model-version', '1.4.0']) == 0
    drift_k8s.write_window(config, work, 'fraud-drift-29926270', None)
    for part in range(2):
        os.makedirs(os.path.join(work, 'data', '1'), exist_ok=True)
        with open(os.path.join(work, 'data', '1', f'part-{part}.jsonl'), 'w') as f:
            f.write(capture([(rng.gauss(shift, 1), rng.expovariate(1)) for _ in range(rows)]))
    return work

class Api(drift_k8s.KubernetesApi):
    pass

api = lambda: drift_k8s.KubernetesApi(base, 'token-1', None)
NOW = datetime.datetime(2026, 11, 25, 3, 11, 40, tzinfo=datetime.timezone.utc)
`;

function runWindow(options: { shift: number; jobStatus?: number; existing?: unknown; rows?: number }): any {
  return python(`${SERVER}
Fake.job_status, Fake.existing = data['jobStatus'], data['existing']
out = drift_k8s.run(config, copied_window(data['shift'], data['rows']), NOW, api, template)
server.shutdown()
sys.stdout = sys.__stdout__
result = {'out': out, 'calls': Fake.calls}
`, { jobStatus: 201, existing: null, rows: 1500, ...options });
}

describe('drift_k8s.py', () => {
  test('GIVEN the Job of the 03:10 slot (29926270 minutes since the epoch) THEN the window is 02:00-03:00 and its hour prefix', () => {
    const result = python(`import os, tempfile, drift_k8s
work = tempfile.mkdtemp()
window = drift_k8s.write_window({'kind': 'endpoint-capture', 'everyHours': 1, 'windowTemplate': 'c/fraud/{variant}/{yyyy}/{mm}/{dd}/{hh}/', 'variantNames': ['AllTraffic', 'Shadow']}, work, 'fraud-drift-29926270', None)
result = [window, open(os.path.join(work, 'prefixes.txt')).read()]`);
    expect(result).toEqual([
      { scheduledTime: '2026-11-25T03:10:00Z', start: '2026-11-25T02:00:00Z', end: '2026-11-25T03:00:00Z', id: '20261125T02', prefixes: ['c/fraud/AllTraffic/2026/11/25/02/', 'c/fraud/Shadow/2026/11/25/02/'] },
      'c/fraud/AllTraffic/2026/11/25/02/\nc/fraud/Shadow/2026/11/25/02/\n',
    ]);
  });

  test('GIVEN a Job made by hand (kubectl create job --from) THEN the window is the last full period before now', () => {
    const result = python(`import datetime, tempfile, drift_k8s
now = datetime.datetime(2026, 11, 25, 14, 37, tzinfo=datetime.timezone.utc)
result = drift_k8s.write_window({'kind': 'pipeline-inputs', 'everyHours': 24, 'windowTemplate': 'in/run_date={yyyy}-{mm}-{dd}/'}, tempfile.mkdtemp(), 'fraud-drift-manual-1', now)`);
    expect(result).toEqual({ scheduledTime: '2026-11-25T14:37:00Z', start: '2026-11-24T14:00:00Z', end: '2026-11-25T14:00:00Z', id: '20261124T14', prefixes: ['in/run_date=2026-11-24/'] });
  });

  test('GIVEN a report THEN the exposition has PSI, KS and the corrected p-value per feature, the counts, the worst status and the report time', () => {
    const result = python(`import drift_k8s
config = {'metrics': {'psi': 'p', 'ks': 'k', 'ksPValue': 'kp', 'featuresAtWarn': 'w', 'featuresAtAlarm': 'a', 'featuresInsufficientData': 'i', 'worstStatus': 's', 'lastReportTimestamp': 't'},
          'statusCodes': {'ok': 0, 'insufficient_data': 1, 'warn': 2, 'alarm': 3}}
report = {'status': 'alarm', 'features': {
    'amount': {'psi': 0.31, 'ks': 0.2, 'ks_pvalue_adjusted': 1e-9, 'status': 'alarm'},
    'country "code"': {'psi': 0.12, 'ks': None, 'ks_pvalue_adjusted': None, 'status': 'warn'}}}
result = drift_k8s.exposition(config, report, 1764040300.5)`);
    expect(result).toBe([
      '# TYPE p gauge', 'p{feature="amount"} 0.31', 'p{feature="country \\"code\\""} 0.12',
      '# TYPE k gauge', 'k{feature="amount"} 0.2',
      '# TYPE kp gauge', 'kp{feature="amount"} 1e-09',
      '# TYPE w gauge', 'w 1', '# TYPE a gauge', 'a 1', '# TYPE i gauge', 'i 0', '# TYPE s gauge', 's 3', '# TYPE t gauge', 't 1764040300.5', '',
    ].join('\n'));
  });

  test('GIVEN an empty window THEN one feature counts as insufficient data and the worst status is insufficient_data (1)', () => {
    const result = python(`import drift_k8s
config = {'metrics': {'psi': 'p', 'ks': 'k', 'ksPValue': 'kp', 'featuresAtWarn': 'w', 'featuresAtAlarm': 'a', 'featuresInsufficientData': 'i', 'worstStatus': 's', 'lastReportTimestamp': 't'},
          'statusCodes': {'ok': 0, 'insufficient_data': 1, 'warn': 2, 'alarm': 3}}
result = drift_k8s.exposition(config, {'status': 'insufficient_data', 'features': {}}, 10)`);
    expect(result).toBe('# TYPE w gauge\nw 0\n# TYPE a gauge\na 0\n# TYPE i gauge\ni 1\n# TYPE s gauge\ns 1\n# TYPE t gauge\nt 10\n');
  });

  test('GIVEN a monitor name with "/" THEN its Pushgateway path segment is base64url-encoded; safe values stay plain', () => {
    const result = python(`import drift_k8s
result = drift_k8s.push_url({'pushgateway': {'url': 'http://pg.monitoring.svc:9091/', 'job': 'ml-platform-drift'}, 'model': {'name': 'fraud'}, 'monitor': 'ml/fraud drift'})`);
    expect(result).toBe('http://pg.monitoring.svc:9091/metrics/job/ml-platform-drift/model/fraud/monitor@base64/bWwvZnJhdWQgZHJpZnQ=');
  });

  test('GIVEN a drifted hour THEN one PUT of the group to the Pushgateway and one suspended retraining Job created with the evidence', () => {
    const { out, calls } = runWindow({ shift: 0.8 });
    expect(out).toEqual({ status: 'alarm', window: '20261125T02', pushed: 200, retraining: { request: 'fraud-drift-retrain', started: true } });
    expect(calls.map((c: any) => [c.method, c.path])).toEqual([
      ['PUT', '/metrics/job/ml-platform-drift/model/fraud/monitor/fraud-drift'],
      ['POST', '/apis/batch/v1/namespaces/ml/jobs'],
    ]);
    expect(calls[0].type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(calls[0].body).toContain('ml_platform_drift_features_at_alarm 1\n');
    expect(calls[0].body).toContain('ml_platform_drift_last_report_timestamp_seconds 1795576300.0\n');
    const job = JSON.parse(calls[1].body);
    expect([calls[1].auth, job.metadata.name, job.spec.suspend, job.metadata.labels]).toEqual(['Bearer token-1', 'fraud-drift-retrain', true, { app: 'retrain' }]);
    expect(job.spec.template.metadata.annotations).toEqual(job.metadata.annotations);
    const evidence = JSON.parse(job.metadata.annotations['ml-platform/drift-evidence']);
    expect([evidence.window, evidence.reportTime, evidence.topDrifting.map((f: any) => [f.feature, f.status])]).toEqual(['20261125T02', '2026-11-25T03:11:40Z', [['amount', 'alarm'], ['age', 'ok']]]);
  });

  test('GIVEN a drifted hour while the request is open (HTTP 409) THEN no new Job: the evidence is merge-patched onto the open one', () => {
    const { out, calls } = runWindow({ shift: 0.8, jobStatus: 409, existing: { metadata: { name: 'fraud-drift-retrain', creationTimestamp: '2026-11-24T20:00:00Z' }, spec: { suspend: true } } });
    expect(out.retraining).toEqual({ request: 'fraud-drift-retrain', started: false, evidenceAdded: true, approvalExpired: false });
    expect(calls.slice(1).map((c: any) => [c.method, c.path, c.type])).toEqual([
      ['POST', '/apis/batch/v1/namespaces/ml/jobs', 'application/json'],
      ['GET', '/apis/batch/v1/namespaces/ml/jobs/fraud-drift-retrain', 'application/json'],
      ['PATCH', '/apis/batch/v1/namespaces/ml/jobs/fraud-drift-retrain', 'application/merge-patch+json'],
    ]);
    expect(Object.keys(JSON.parse(calls[3].body).metadata.annotations)).toEqual(['ml-platform/drift-evidence']);
  });

  test('GIVEN an open request unapproved for more than 72 hours THEN the patch also marks its approval expired', () => {
    const { out, calls } = runWindow({ shift: 0.8, jobStatus: 409, existing: { metadata: { name: 'fraud-drift-retrain', creationTimestamp: '2026-11-22T03:00:00Z' }, spec: { suspend: true } } });
    expect(out.retraining.approvalExpired).toBe(true);
    expect(JSON.parse(calls[3].body).metadata.annotations['ml-platform/approval-expired']).toBe('2026-11-25T03:11:40Z');
  });

  test('GIVEN an hour from the training distribution THEN ok, pushed, and no call to the Kubernetes API', () => {
    const { out, calls } = runWindow({ shift: 0 });
    expect([out, calls.length]).toEqual([{ status: 'ok', window: '20261125T02', pushed: 200 }, 1]);
  });

  test('GIVEN 100 rows in the window THEN insufficient_data, pushed, and no retraining', () => {
    const { out, calls } = runWindow({ shift: 0.8, rows: 50 });
    expect([out, calls.length]).toEqual([{ status: 'insufficient_data', window: '20261125T02', pushed: 200 }, 1]);
  });

  test('GIVEN a prefix source THEN only files whose time (the object\'s LastModified, kept by the copy) is in the window are compared', () => {
    const result = python(`import json, os, tempfile, drift_k8s
work = tempfile.mkdtemp()
os.makedirs(os.path.join(work, 'data', '1', 'sub'))
for name, at in (('in.csv', 1795572000), ('sub/late.csv', 1795575599), ('before.csv', 1795571999), ('after.csv', 1795575600), ('_SUCCESS', 1795572000), ('noext', 1795573000)):
    path = os.path.join(work, 'data', '1', name)
    open(path, 'w').write('a\\n1\\n')
    os.utime(path, (at, at))
listed, chosen = drift_k8s.window_files({'kind': 'prefix', 'format': 'csv', 'maxWindowBytes': 1 << 30}, os.path.join(work, 'data'),
                                        {'start': '2026-11-25T02:00:00Z', 'end': '2026-11-25T03:00:00Z', 'id': '20261125T02'})
result = sorted(os.path.relpath(c['Key'], work) for c in chosen)`);
    expect(result).toEqual(['data/1/in.csv', 'data/1/noext.csv', 'data/1/sub/late.csv']);
  });
});
