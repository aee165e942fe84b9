"""The AWS runner of drift.py: one comparison per scheduled window, in a Lambda Python runtime (boto3 is the runtime's).

The schedule invokes it with {"scheduledTime": "<ISO time>"}. It finds the window's objects, reads all of them up to
MAX_WINDOW_BYTES or else a uniform random sample of objects (seeded by the window) up to that many bytes, runs
`drift.py compare`, writes the report to <REPORT_PREFIX><yyyy>/<mm>/<dd>/<hh>/report.json, puts one metric per feature
and statistic plus the window's counts, and on an alarm-level window asks for retraining: at most one open request
(a running execution of the gate) per model; a breach while one is open is written beside it as evidence.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import datetime

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import drift  # noqa: E402
from drift_readers import SUFFIXES  # noqa: E402
from drift_window import choose_objects, status_counts, window_of, window_prefixes  # noqa: E402,F401 (window_of: the tests' entry)

# Read at most this many bytes of a window: at the benchmark's million values per second (50,000 rows x 20 features)
# 1 GiB of CSV (about 100 million values of ~10 bytes) compares in about 100 s, a sixth of Lambda's 900 s.
MAX_WINDOW_BYTES = 1 << 30
SUFFIX = {'csv': '.csv', 'jsonl': '.jsonl', 'sagemaker-capture': '.jsonl'}


def list_window(s3, config: dict, start: datetime, end: datetime) -> list[dict]:
    objects = []
    paginator = s3.get_paginator('list_objects_v2')
    for prefix in window_prefixes(config, start, end):
        for page in paginator.paginate(Bucket=config['bucket'], Prefix=prefix):
            for entry in page.get('Contents', []):
                key = entry['Key']
                if key.endswith('/') or '/_' in '/' + key[len(prefix):]:
                    continue
                if config['kind'] == 'prefix' and not start <= entry['LastModified'] < end:
                    continue
                objects.append({'Key': key, 'Size': entry['Size']})
    return objects


def metric_data(config: dict, report: dict) -> list[dict]:
    """One datum per feature and statistic (PSI, KS), and the window's feature counts per status."""
    model = [{'Name': 'Model', 'Value': config['modelName']}, {'Name': 'Monitor', 'Value': config['monitor']}]
    data = []
    for name, feature in sorted(report['features'].items()):
        dims = model + [{'Name': 'Feature', 'Value': name[:1024]}]
        for metric, value in (('PSI', feature['psi']), ('KS', feature['ks'])):
            if value is not None:
                data.append({'MetricName': metric, 'Dimensions': dims, 'Value': float(value), 'Unit': 'None'})
    counts = status_counts(report)
    for metric, status in (('FeaturesAtWarn', 'warn'), ('FeaturesAtAlarm', 'alarm'), ('FeaturesInsufficientData', 'insufficient_data')):
        data.append({'MetricName': metric, 'Dimensions': model, 'Value': float(counts[status]), 'Unit': 'Count'})
    data.append({'MetricName': 'Reports', 'Dimensions': model, 'Value': 1.0, 'Unit': 'Count'})
    return data


def request_retraining(sfn, s3, config: dict, window_id: str, evidence: dict) -> dict:
    """Starts the gate unless a request is open; an open request gets the evidence instead. Idempotent per window."""
    arn = config['retrainingStateMachineArn']
    running = sfn.list_executions(stateMachineArn=arn, statusFilter='RUNNING', maxResults=1).get('executions', [])
    if running:
        open_name = running[0]['name']
        key = f"{config['reportPrefix']}retraining/{open_name}/evidence/{window_id}.json"
        s3.put_object(Bucket=config['reportBucket'], Key=key, Body=json.dumps(evidence).encode(), ContentType='application/json')
        return {'request': open_name, 'evidence': f"s3://{config['reportBucket']}/{key}", 'started': False}
    # The window names the execution: a retried invocation of the same window starts nothing new (same name and input).
    name = f"{config['modelName'][:40]}-{window_id}"
    sfn.start_execution(stateMachineArn=arn, name=name, input=json.dumps(evidence, sort_keys=True))
    return {'request': name, 'started': True}


def run(event: dict, config: dict, s3, cloudwatch, sfn, workdir: str) -> dict:
    start, end = window_of(event['scheduledTime'], int(config['everyHours']))
    window_id = start.strftime('%Y%m%dT%H')
    listed = list_window(s3, config, start, end)
    chosen = choose_objects(listed, int(config.get('maxWindowBytes', MAX_WINDOW_BYTES)), window_id)
    data_dir = os.path.join(workdir, 'window')
    os.makedirs(data_dir, exist_ok=True)
    for index, entry in enumerate(chosen):
        name = os.path.basename(entry['Key'])
        if not name.lower().endswith(SUFFIXES):
            name += SUFFIX[config['format']]
        s3.download_file(config['bucket'], entry['Key'], os.path.join(data_dir, f'{index:06d}-{name}'))
    s3.download_file(config['baselineBucket'], config['baselineKey'], os.path.join(workdir, 'baseline.json'))
    out = os.path.join(workdir, 'report.json')
    code = drift.main([*config['compareArguments'], '--baseline', os.path.join(workdir, 'baseline.json'),
                       '--data', data_dir, '--out', out])
    if code != drift.EXIT_OK:
        raise RuntimeError(f'drift.py compare exited {code} for window {window_id}; see the log above')
    with open(out, encoding='utf-8') as handle:
        report = json.load(handle)
    report['sampling'] = {
        'objects_listed': len(listed), 'objects_read': len(chosen),
        'bytes_listed': sum(o['Size'] for o in listed), 'bytes_read': sum(o['Size'] for o in chosen),
        'max_window_bytes': int(config.get('maxWindowBytes', MAX_WINDOW_BYTES)), 'rule': 'uniform random objects, seeded by the window',
    }
    report['window']['start'] = start.strftime('%Y-%m-%dT%H:%M:%SZ')
    report['window']['end'] = end.strftime('%Y-%m-%dT%H:%M:%SZ')
    key = f"{config['reportPrefix']}{start.strftime('%Y/%m/%d/%H')}/report.json"
    s3.put_object(Bucket=config['reportBucket'], Key=key, Body=json.dumps(report).encode(), ContentType='application/json')
    data = metric_data(config, report)
    for first in range(0, len(data), 1000):
        cloudwatch.put_metric_data(Namespace=config['namespace'], MetricData=data[first:first + 1000])
    result = {'status': report['status'], 'report': f"s3://{config['reportBucket']}/{key}"}
    if report['status'] == 'alarm' and config.get('retrainingStateMachineArn'):
        evidence = {'model': report['model'], 'window': window_id, 'report': result['report'], 'topDrifting': report['top_drifting']}
        result['retraining'] = request_retraining(sfn, s3, config, window_id, evidence)
    return result


def handler(event, _context):
    import boto3  # the Lambda runtime's; imported here so tests run the functions above without it

    config = json.loads(os.environ['DRIFT_MONITOR_CONFIG'])
    with tempfile.TemporaryDirectory() as workdir:
        result = run(event, config, boto3.client('s3'), boto3.client('cloudwatch'), boto3.client('stepfunctions'), workdir)
    print(json.dumps(result))
    return result
