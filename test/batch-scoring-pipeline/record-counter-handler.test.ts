import { execFileSync, spawnSync } from 'child_process';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BatchScoringPipeline, EncryptionKey, OwnerNotifications } from '../../constructs/aws';
import { IMAGE, MODEL } from '../support/canary-fixtures';

/** The record counter's Python source, as the template deploys it. */
function handlerSource(): string {
  const stack = new Stack(new App(), 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  new BatchScoringPipeline(stack, 'Nightly', {
    model: MODEL, image: IMAGE, schedule: { cron: '0 2 * * *' }, inputUri: 's3://fraud-data-eu/transactions/', outputUri: 's3://fraud-data-eu/scores/', notifications,
  });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
  return fn.Properties.Code.ZipFile;
}

// Runs the handler with boto3 replaced by an in-memory S3 whose bodies stream in the chunks the handler asks for.
const HARNESS = `
import json, sys, types
request = json.load(sys.stdin)
objects = {key: body.encode() for key, body in request["objects"].items()}
class Body:
    def __init__(self, data):
        self.data = data
    def iter_chunks(self, size):
        for start in range(0, len(self.data), size):
            yield self.data[start:start + size]
class S3:
    def get_object(self, Bucket, Key):
        return {"Body": Body(objects[Key])}
boto3 = types.ModuleType("boto3")
boto3.client = lambda name: S3()
sys.modules["boto3"] = boto3
namespace = {}
exec(request["handler"], namespace)
print(json.dumps([namespace["handler"]({"bucket": "b", "prefix": "p/", "key": key}, None) for key in request["keys"]]))
`;

const python = spawnSync('python3', ['--version']).status === 0;
const describeWithPython = python ? describe : describe.skip;
if (!python) {
  // eslint-disable-next-line no-console
  console.warn('record counter handler tests skipped: python3 is not on PATH');
}

describeWithPython('the record counter, run by Python', () => {
  const handler = handlerSource();
  const MIB = 1024 * 1024;
  const objects: Record<string, string> = {
    'p/complete.jsonl': 'a\nb\nc\n',
    'p/no-final-newline.jsonl': 'a\nb\nc',
    'p/empty.jsonl': '',
    'p/': '',
    'p/_SUCCESS': '',
    'p/part/_temporary/x.jsonl': 'a\n',
    'p/run_date=2026-11-22/x.jsonl': 'a\nb\n',
    // Three chunks of exactly 1 MiB of 8-byte lines: a chunk boundary falls right after a newline.
    'p/three-chunks.jsonl': '1234567\n'.repeat((3 * MIB) / 8),
    // One line straddles the first chunk boundary and the object ends without a newline.
    'p/straddles.jsonl': `${'x'.repeat(MIB - 2)}\nyy\nzzz`,
  };
  const counts = (keys: string[]): unknown[] => JSON.parse(execFileSync('python3', ['-c', HARNESS], {
    input: JSON.stringify({ handler, objects, keys }), maxBuffer: 16 * MIB,
  }).toString());

  test('GIVEN objects with and without a final newline, or empty THEN each line is one record', () => {
    expect(counts(['p/complete.jsonl', 'p/no-final-newline.jsonl', 'p/empty.jsonl'])).toEqual([3, 3, 0]);
  });

  test('GIVEN a folder marker or names starting with "_" below the prefix THEN they are not data (null)', () => {
    expect(counts(['p/', 'p/_SUCCESS', 'p/part/_temporary/x.jsonl', 'p/run_date=2026-11-22/x.jsonl'])).toEqual([null, null, null, 2]);
  });

  test('GIVEN objects streamed in several 1 MiB chunks THEN lines across chunk boundaries count once', () => {
    expect(counts(['p/three-chunks.jsonl', 'p/straddles.jsonl'])).toEqual([(3 * MIB) / 8, 3]);
  });
});
