#!/usr/bin/env python3
"""The Kubernetes runner of drift.py: one comparison per scheduled window, in a pod of the monitor's CronJob.

  drift_k8s.py window --config monitor.json --work DIR
      writes DIR/window.json (the window's start, end and id) and DIR/prefixes.txt (one object prefix a line), which
      the pod's object-store container copies into DIR/data/<n>/ beside DIR/baseline.json;
  drift_k8s.py run --config monitor.json --work DIR [--job-template retraining-job.json]
      compares the copied window with the baseline, prints the report, pushes the metrics to the Pushgateway and, on an
      alarm-level window with retraining configured, opens the model's retraining Job (suspended) or adds the evidence
      to the one already open.

The scheduled time comes from the Job's name, which the CronJob controller ends with the minutes since the epoch of
the schedule slot (`DRIFT_JOB_NAME`); a Job made by hand compares the window before now. Exit codes: 0 done, 1 a
push or API call failed, and drift.py's own (2 usage, 3 baseline of another model, 4 unreadable input).
Python 3.9+ standard library only.
"""
from __future__ import annotations

import argparse
import base64
import copy
import json
import math
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import drift  # noqa: E402
from drift_readers import SUFFIXES  # noqa: E402
from drift_window import choose_objects, status_counts, window_of, window_prefixes  # noqa: E402

EXIT_FAILED = 1
SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'
# The annotations the runner writes on the retraining Job.
EVIDENCE_ANNOTATION = 'ml-platform/drift-evidence'
EXPIRED_ANNOTATION = 'ml-platform/approval-expired'
# A CronJob's Job is `<cronjob>-<minutes since the epoch>`; eight or more digits is a slot after 1973.
SCHEDULED_SUFFIX = re.compile(r'-(\d{8,})$')
# Pushgateway path segments: plain when URL-safe, else `<label>@base64/<base64url value>` (pushgateway README, "URL").
SAFE_SEGMENT = re.compile(r'^[A-Za-z0-9_.-]+$')
SUFFIX = {'csv': '.csv', 'jsonl': '.jsonl', 'sagemaker-capture': '.jsonl'}
HTTP_TIMEOUT_SECONDS = 30


def scheduled_time(job_name: str, now: datetime) -> str:
    """The schedule slot the Job was created for, from its name; `now` for a Job made by hand."""
    match = SCHEDULED_SUFFIX.search(job_name or '')
    at = datetime.fromtimestamp(int(match.group(1)) * 60, timezone.utc) if match else now
    return at.strftime('%Y-%m-%dT%H:%M:%SZ')


def write_window(config: dict, work: str, job_name: str, now: datetime) -> dict:
    """Writes window.json and prefixes.txt for the object-store container; returns the window."""
    at = scheduled_time(job_name, now)
    start, end = window_of(at, int(config['everyHours']))
    window = {'scheduledTime': at, 'start': _iso(start), 'end': _iso(end), 'id': start.strftime('%Y%m%dT%H'),
              'prefixes': window_prefixes(config, start, end)}
    with open(os.path.join(work, 'window.json'), 'w', encoding='utf-8') as handle:
        json.dump(window, handle)
    with open(os.path.join(work, 'prefixes.txt'), 'w', encoding='utf-8') as handle:
        handle.write(''.join(f'{prefix}\n' for prefix in window['prefixes']))
    return window


def window_files(config: dict, data_dir: str, window: dict) -> tuple[list[dict], list[dict]]:
    """The copied files (listed) and those compared (chosen): within the window for a `prefix` source (the copy keeps
    each object's LastModified as the file's time), sampled uniformly when more than the byte budget."""
    start, end = _parse(window['start']).timestamp(), _parse(window['end']).timestamp()
    listed = []
    for root, dirs, names in os.walk(data_dir):
        dirs.sort()
        for name in names:
            path = os.path.join(root, name)
            if name.startswith('_'):
                continue
            stat = os.stat(path)
            if config['kind'] == 'prefix' and not start <= stat.st_mtime < end:
                continue
            listed.append({'Key': path, 'Size': stat.st_size})
    chosen = choose_objects(listed, int(config['maxWindowBytes']), window['id'])
    for entry in chosen:
        if not entry['Key'].lower().endswith(SUFFIXES):
            renamed = entry['Key'] + SUFFIX[config['format']]
            os.rename(entry['Key'], renamed)
            entry['Key'] = renamed
    return listed, chosen


def exposition(config: dict, report: dict, now: float) -> str:
    """The report as Prometheus text exposition (format 0.0.4): gauges per feature and per window."""
    names, codes = config['metrics'], config['statusCodes']
    lines = []

    def gauge(metric: str, samples: list[tuple[str, float]]) -> None:
        if samples:
            lines.append(f'# TYPE {metric} gauge')
            lines.extend(f'{metric}{labels} {_number(value)}' for labels, value in samples)

    features = sorted(report['features'].items())
    for key, field in (('psi', 'psi'), ('ks', 'ks'), ('ksPValue', 'ks_pvalue_adjusted')):
        gauge(names[key], [(f'{{feature="{_escape(name)}"}}', f[field]) for name, f in features if f.get(field) is not None])
    counts = status_counts(report)
    gauge(names['featuresAtWarn'], [('', counts['warn'])])
    gauge(names['featuresAtAlarm'], [('', counts['alarm'])])
    gauge(names['featuresInsufficientData'], [('', counts['insufficient_data'])])
    gauge(names['worstStatus'], [('', codes[report['status']])])
    gauge(names['lastReportTimestamp'], [('', now)])
    return '\n'.join(lines) + '\n'


def push_url(config: dict) -> str:
    """The Pushgateway group of this monitor: PUT replaces every metric of the group, so a feature gone is gone."""
    gateway = config['pushgateway']
    segments = [('job', gateway['job']), ('model', config['model']['name']), ('monitor', config['monitor'])]
    path = ''.join(f'/{label}/{value}' if SAFE_SEGMENT.match(value) else
                   f'/{label}@base64/{base64.urlsafe_b64encode(value.encode()).decode()}' for label, value in segments)
    return gateway['url'].rstrip('/') + '/metrics' + path


def push(config: dict, body: str) -> int:
    request = urllib.request.Request(push_url(config), data=body.encode(), method='PUT',
                                     headers={'Content-Type': 'text/plain; version=0.0.4; charset=utf-8'})
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
        return response.status


class KubernetesApi:
    """The few calls the runner makes, with the pod's service-account token and the cluster's CA."""

    def __init__(self, base: str, token: str, context: ssl.SSLContext | None):
        self.base, self.token, self.context = base, token, context

    @classmethod
    def in_cluster(cls, account_dir: str = SERVICE_ACCOUNT_DIR) -> 'KubernetesApi':
        host, port = os.environ['KUBERNETES_SERVICE_HOST'], os.environ['KUBERNETES_SERVICE_PORT']
        host = f'[{host}]' if ':' in host else host
        with open(os.path.join(account_dir, 'token'), encoding='utf-8') as handle:
            token = handle.read().strip()
        return cls(f'https://{host}:{port}', token, ssl.create_default_context(cafile=os.path.join(account_dir, 'ca.crt')))

    def call(self, method: str, path: str, body: dict | None = None, content_type: str = 'application/json') -> tuple[int, dict]:
        request = urllib.request.Request(self.base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={'Authorization': f'Bearer {self.token}', 'Accept': 'application/json', 'Content-Type': content_type})
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS, context=self.context) as response:
                return response.status, json.loads(response.read() or b'{}')
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b'{}')


def request_retraining(api: KubernetesApi, retraining: dict, template: dict, evidence: dict, now: datetime) -> dict:
    """Creates the model's retraining Job, suspended; when it exists (409), the open request gets the evidence instead."""
    name, namespace = retraining['jobName'], retraining.get('namespace') or os.environ['DRIFT_NAMESPACE']
    jobs = f'/apis/batch/v1/namespaces/{namespace}/jobs'
    job = copy.deepcopy(template)
    job['metadata']['name'] = name
    # On the Job (what a human reads) and on its pod (the training container's DRIFT_EVIDENCE, by the downward API).
    for metadata in (job['metadata'], job['spec']['template'].setdefault('metadata', {})):
        metadata.setdefault('annotations', {})[EVIDENCE_ANNOTATION] = json.dumps(evidence, sort_keys=True)
    job['spec']['suspend'] = True
    status, created = api.call('POST', jobs, job)
    if status == 201:
        return {'request': name, 'started': True}
    if status != 409:
        raise RuntimeError(f'creating Job {namespace}/{name} returned HTTP {status}: {created.get("message", "")}')
    status, existing = api.call('GET', f'{jobs}/{name}')
    if status != 200:
        raise RuntimeError(f'reading Job {namespace}/{name} returned HTTP {status}: {existing.get("message", "")}')
    annotations = {EVIDENCE_ANNOTATION: json.dumps(evidence, sort_keys=True)}
    opened = _parse(existing['metadata']['creationTimestamp'])
    waiting = existing.get('spec', {}).get('suspend') is True
    if waiting and (now - opened).total_seconds() > float(retraining['approvalTimeoutHours']) * 3600:
        annotations[EXPIRED_ANNOTATION] = _iso(now)
    status, patched = api.call('PATCH', f'{jobs}/{name}', {'metadata': {'annotations': annotations}}, 'application/merge-patch+json')
    if status != 200:
        raise RuntimeError(f'annotating Job {namespace}/{name} returned HTTP {status}: {patched.get("message", "")}')
    return {'request': name, 'started': False, 'evidenceAdded': True, 'approvalExpired': EXPIRED_ANNOTATION in annotations}


def run(config: dict, work: str, now: datetime, api_factory=KubernetesApi.in_cluster, template: dict | None = None) -> dict:
    with open(os.path.join(work, 'window.json'), encoding='utf-8') as handle:
        window = json.load(handle)
    listed, chosen = window_files(config, os.path.join(work, 'data'), window)
    out = os.path.join(work, 'report.json')
    code = drift.main([*config['compareArguments'], '--baseline', os.path.join(work, 'baseline.json'),
                       '--data', *([entry['Key'] for entry in chosen] or [os.path.join(work, 'data')]), '--out', out])
    if code != drift.EXIT_OK:
        raise SystemExit(code)
    with open(out, encoding='utf-8') as handle:
        report = json.load(handle)
    report['sampling'] = {'files_listed': len(listed), 'files_read': len(chosen), 'bytes_listed': sum(o['Size'] for o in listed),
                          'bytes_read': sum(o['Size'] for o in chosen), 'max_window_bytes': int(config['maxWindowBytes']),
                          'rule': 'uniform random files, seeded by the window'}
    report['window'].update(start=window['start'], end=window['end'])
    print(json.dumps(report, sort_keys=True))
    result = {'status': report['status'], 'window': window['id'], 'pushed': push(config, exposition(config, report, now.timestamp()))}
    if report['status'] == 'alarm' and config.get('retraining'):
        evidence = {'model': report['model'], 'window': window['id'], 'reportTime': _iso(now), 'status': report['status'],
                    'topDrifting': report['top_drifting']}
        result['retraining'] = request_retraining(api_factory(), config['retraining'], template, evidence, now)
    return result


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _parse(text: str) -> datetime:
    return datetime.strptime(text[:19], '%Y-%m-%dT%H:%M:%S').replace(tzinfo=timezone.utc)


def _escape(value: str) -> str:
    return value.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def _number(value: float) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return 'NaN' if math.isnan(value) else ('+Inf' if value > 0 else '-Inf')
    return repr(value) if isinstance(value, float) else str(value)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='drift_k8s.py', description=__doc__.split('\n')[0])
    parser.add_argument('command', choices=('window', 'run'))
    parser.add_argument('--config', required=True)
    parser.add_argument('--work', required=True)
    parser.add_argument('--job-template')
    args = parser.parse_args(argv)
    with open(args.config, encoding='utf-8') as handle:
        config = json.load(handle)
    now = datetime.fromtimestamp(time.time(), timezone.utc)
    if args.command == 'window':
        print(json.dumps(write_window(config, args.work, os.environ.get('DRIFT_JOB_NAME', ''), now)))
        return 0
    template = None
    if args.job_template:
        with open(args.job_template, encoding='utf-8') as handle:
            template = json.load(handle)
    try:
        print(json.dumps(run(config, args.work, now, template=template)))
    except (OSError, RuntimeError) as error:
        print(f'drift_k8s.py: {error}', file=sys.stderr)
        return EXIT_FAILED
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
