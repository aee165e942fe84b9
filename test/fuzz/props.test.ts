import { writeFileSync } from 'fs';
import * as fc from 'fast-check';
import { checkInvalid, discoverTargets, FUZZ, inCase, invalidInputs, type Sampling, synthesize, validInputs } from './harness';
import type { FuzzEngine } from '../../lib/core/generators';
import { endProgram, recordRegistrations } from '../support/pulumi-mocks';

recordRegistrations();
afterAll(() => endProgram());

// Runs per construct and engine in `npm test`, a fixed sample (the long runs of `npm run fuzz` search): AWS synthesis
// with three compliance packs is the slow part, so it gets one valid case, through the full harness; Kubernetes and
// Pulumi render in milliseconds, and one case in five (in four) goes through the full Kubernetes harness.
const VALID_RUNS: Record<FuzzEngine, number> = { aws: 1, k8s: 5, pulumi: 4 };
const SAMPLING: Record<FuzzEngine, Sampling> = FUZZ.runs === undefined
  ? { aws: { synthEvery: 1, fullEvery: 1 }, k8s: { synthEvery: 1, fullEvery: 5 }, pulumi: { synthEvery: 1, fullEvery: 4 } }
  // A long run: AWS synthesizes one case in 25 and runs the compliance packs on one in 500; every case is constructed.
  : { aws: { synthEvery: 25, fullEvery: 500 }, k8s: { synthEvery: 1, fullEvery: 100 }, pulumi: { synthEvery: 1, fullEvery: 100 } };
const INVALID_RUNS: Record<FuzzEngine, number> = { aws: 40, k8s: 60, pulumi: 40 };

const targets = discoverTargets();

/** What a long run found, per construct, engine and kind: cases run and distinct failures (first line of each). */
const report: Record<string, { runs: number; failures: Record<string, number> }> = {};

/**
 * Runs a property: in `npm test` it stops at the first counterexample; in a long run (FUZZ_RUNS) it runs every case,
 * counts the failures by message, and fails at the end if any. Each Pulumi case is a program of its own.
 */
async function run<T>(
  key: string, engine: FuzzEngine, inputs: fc.Arbitrary<T>, check: (input: T) => string | undefined, numRuns: number,
): Promise<void> {
  if (FUZZ.runs === undefined) {
    await fc.assert(fc.asyncProperty(inputs, async (input) => {
      expect(await inCase(engine, () => check(input))).toBeUndefined();
    }), { seed: FUZZ.seed, numRuns, endOnFailure: true });
    return;
  }
  const entry = report[key] = { runs: 0, failures: {} as Record<string, number> };
  await fc.assert(fc.asyncProperty(inputs, async (input) => {
    entry.runs++;
    let failure: string | undefined;
    try {
      failure = await inCase(engine, () => check(input));
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (failure !== undefined) {
      const line = failure.split('\n')[0].replace(/"[^"]*"/g, '"…"').slice(0, 300);
      entry.failures[line] = (entry.failures[line] ?? 0) + 1;
    }
  }), { seed: FUZZ.seed, numRuns, endOnFailure: true });
  if (process.env.FUZZ_REPORT) {
    writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ seed: FUZZ.seed, report }, null, 2));
  }
  expect(entry.failures).toEqual({});
}

test('GIVEN the construct folders THEN every product construct with generators is fuzzed', () => {
  expect(targets.map((target) => target.name)).toEqual(expect.arrayContaining(['CanaryEndpoint', 'BatchScoringPipeline']));
});

describe.each(targets.map((target) => [target.name, target] as const))('%s', (name, target) => {
  const engines = Object.keys(target.engines) as FuzzEngine[];

  test.each(engines)('GIVEN valid props on %s THEN synthesis succeeds and the output conforms', async (engine) => {
    await run(`${name}/${engine}/valid`, engine, validInputs(target, engine, SAMPLING[engine]), (input) => {
      const problems = synthesize(target, engine, input);
      return problems.length === 0 ? undefined : problems.join('; ');
    }, FUZZ.validRuns ?? FUZZ.runs ?? VALID_RUNS[engine]);
  });

  test.each(engines)('GIVEN invalid props on %s THEN an MlPlatformError names the prop, or the output conforms', async (engine) => {
    await run(`${name}/${engine}/invalid`, engine, invalidInputs(target, engine), (input) => checkInvalid(target, engine, input), FUZZ.runs ?? INVALID_RUNS[engine]);
  });
});
