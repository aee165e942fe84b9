import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * Prometheus's own rule checker and rule unit-test runner (Debian package `prometheus`; `.ci/run` installs it).
 * Files are written as JSON, which YAML parsers read as YAML.
 */
export const PROMTOOL = findPromtool();

/** Why the promtool tests skip on this machine, or undefined when promtool is installed. */
export const PROMTOOL_MISSING = PROMTOOL
  ? undefined
  : 'promtool not found on PATH: install Prometheus (Debian: apt-get install -y prometheus) to run the Prometheus rule tests; CI installs it';

/** `describe`, or `describe.skip` with the reason printed once, where promtool is absent. */
export function describeWithPromtool(name: string, body: () => void): void {
  if (PROMTOOL_MISSING) {
    // eslint-disable-next-line no-console
    console.warn(`SKIP ${name}: ${PROMTOOL_MISSING}`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}

/** A Prometheus rule file: what a PrometheusRule's `spec` holds. */
export interface RuleFile {
  readonly groups: ReadonlyArray<{ readonly name: string; readonly interval?: string; readonly rules: readonly object[] }>;
}

/** promtool's exit code and its output. */
export interface PromtoolRun {
  readonly status: number | null;
  readonly output: string;
}

/** `promtool check rules` on the given rule files. */
export function checkRules(files: readonly RuleFile[]): PromtoolRun {
  return inTempDir((dir) => {
    const paths = files.map((file, index) => write(dir, `rules-${index}.yaml`, file));
    return promtool(dir, ['check', 'rules', ...paths]);
  });
}

/** `promtool test rules` on a test file whose `rule_files` are the given rule files, in order. */
export function testRules(rules: readonly RuleFile[], tests: Record<string, unknown>): PromtoolRun {
  return inTempDir((dir) => {
    const ruleFiles = rules.map((file, index) => write(dir, `rules-${index}.yaml`, file));
    const testFile = write(dir, 'test.yaml', { rule_files: ruleFiles, ...tests });
    return promtool(dir, ['test', 'rules', testFile]);
  });
}

function promtool(dir: string, args: string[]): PromtoolRun {
  const run = spawnSync(PROMTOOL!, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

/** Writes the file and returns its name: promtool runs in `dir`, so its messages name files without the temporary path. */
function write(dir: string, name: string, content: unknown): string {
  writeFileSync(join(dir, name), JSON.stringify(content, undefined, 2));
  return name;
}

function inTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function findPromtool(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  return which.status === 0 && path !== '' ? path : undefined;
}
