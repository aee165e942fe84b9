import * as fc from 'fast-check';
import { checkInvalid, discoverTargets, FUZZ, invalidInputs, type Sampling, synthesize, validInputs } from './harness';
import type { FuzzEngine } from '../../lib/core/generators';
import { recordRegistrations } from '../support/pulumi-mocks';

recordRegistrations();

// Runs per construct and engine in `npm test`: AWS synthesis with three compliance packs is the slow part, so it
// gets two valid cases, one of them through the full harness; Kubernetes and Pulumi render in milliseconds.
const VALID_RUNS: Record<FuzzEngine, number> = { aws: 2, k8s: 10, pulumi: 8 };
const SAMPLING: Record<FuzzEngine, Sampling> = FUZZ.runs === undefined
  ? { aws: { synthEvery: 1, fullEvery: 2 }, k8s: { synthEvery: 1, fullEvery: 10 }, pulumi: { synthEvery: 1, fullEvery: 8 } }
  // A long run: AWS synthesizes one case in 25 and runs the compliance packs on one in 500; every case is constructed.
  : { aws: { synthEvery: 25, fullEvery: 500 }, k8s: { synthEvery: 1, fullEvery: 100 }, pulumi: { synthEvery: 1, fullEvery: 100 } };
const INVALID_RUNS: Record<FuzzEngine, number> = { aws: 40, k8s: 60, pulumi: 40 };

const targets = discoverTargets();

test('GIVEN the construct folders THEN every product construct with generators is fuzzed', () => {
  expect(targets.map((target) => target.name)).toEqual(expect.arrayContaining(['CanaryEndpoint', 'BatchScoringPipeline']));
});

describe.each(targets.map((target) => [target.name, target] as const))('%s', (_name, target) => {
  const engines = Object.keys(target.engines) as FuzzEngine[];

  test.each(engines)('GIVEN valid props on %s THEN synthesis succeeds and the output conforms', (engine) => {
    fc.assert(fc.property(validInputs(target, engine, SAMPLING[engine]), (input) => {
      expect(synthesize(target, engine, input)).toEqual([]);
    }), { seed: FUZZ.seed, numRuns: FUZZ.runs ?? VALID_RUNS[engine], endOnFailure: true });
  });

  test.each(engines)('GIVEN invalid props on %s THEN an MlPlatformError names the prop, or the output conforms', (engine) => {
    fc.assert(fc.property(invalidInputs(target, engine), (input) => {
      expect(checkInvalid(target, engine, input)).toBeUndefined();
    }), { seed: FUZZ.seed, numRuns: FUZZ.runs ?? INVALID_RUNS[engine], endOnFailure: true });
  });
});
