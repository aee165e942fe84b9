import { readdirSync } from 'fs';
import { join } from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App as Cdk8sApp, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { applyResidency as applyAwsResidency } from '../../lib/aws/residency';
import { isMlPlatformError, Residency } from '../../lib/core';
import { type FuzzEngine, type FuzzTarget, propMatches } from '../../lib/core/generators';
import { applyResidency as applyK8sResidency, REGION_LABEL } from '../../lib/k8s';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { kubernetesConformance, podSpecs, schemaViolations, type KubeObject } from '../support/k8s-conformance';
import { nextProgram } from '../support/pulumi-mocks';

/** Every construct folder with a `generators.ts` exporting a `fuzzTarget`: later constructs join by adding one. */
export function discoverTargets(): FuzzTarget[] {
  const root = join(__dirname, '..', '..', 'constructs');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(join(root, entry.name)).includes('generators.ts'))
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the folders are discovered at run time
    .map((entry) => require(join(root, entry.name, 'generators')).fuzzTarget as FuzzTarget)
    .filter((target) => target !== undefined);
}

/** The seed and run counts: fixed and small in `npm test`, from FUZZ_SEED and FUZZ_RUNS in `npm run fuzz`. */
export const FUZZ = {
  seed: Number(process.env.FUZZ_SEED ?? 20261125),
  /** Invalid cases per construct and engine in a long run. */
  runs: process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS),
  /** Valid cases per construct and engine in a long run (each synthesizes, so fewer: default FUZZ_RUNS). */
  validRuns: process.env.FUZZ_VALID_RUNS === undefined ? undefined : Number(process.env.FUZZ_VALID_RUNS),
};

/** What one generated case gives an engine. */
export interface FuzzInput {
  readonly id: string;
  readonly props: Record<string, unknown>;
  /** Whether the residency policy is applied after the construct is created (on AWS it is always applied first). */
  readonly residencyLate: boolean;
  /**
   * `full`: synthesis through the whole conformance harness (slow on AWS: three compliance packs); `synth`:
   * synthesis and schema checks; `construct`: the constructs only (every prop check runs when they are created),
   * for long runs on AWS, where a synthesis takes about a second.
   */
  readonly mode: 'full' | 'synth' | 'construct';
}

/**
 * Runs one case's check; a Pulumi case in a program of its own, as a user's program would be: what spans one program
 * (no two components creating the same Kubernetes object) never joins cases that have nothing to do with each other.
 */
export async function inCase<T>(engine: FuzzEngine, check: () => T): Promise<T> {
  if (engine === 'pulumi') {
    await nextProgram();
  }
  return check();
}

/** Synthesizes one case on one engine; throws on a refusal, returns the problems the harness finds. */
export function synthesize(target: FuzzTarget, engine: FuzzEngine, input: FuzzInput): string[] {
  const build = target.engines[engine]!.build;
  switch (engine) {
    case 'aws': {
      const app = input.mode === 'full' ? conformingApp() : new CdkApp();
      applyAwsResidency(app, Residency.EU);
      const stack = new Stack(app, 'Fuzz', { env: { region: 'eu-west-1', account: '123456789012' } });
      build(stack, input.id, input.props);
      if (input.mode === 'full') {
        synthesizeConforming(app);
      } else if (input.mode === 'synth') {
        app.synth();
      }
      return [];
    }
    case 'k8s': {
      const app = new Cdk8sApp({ outdir: 'unused' });
      // The chart's id is a construct id too: derived names start from it.
      const chart = new Chart(app, input.id);
      if (!input.residencyLate) {
        applyK8sResidency(chart, Residency.EU);
      }
      build(chart, input.id, input.props);
      if (input.residencyLate) {
        applyK8sResidency(chart, Residency.EU);
      }
      return kubernetesProblems(chart.toJson(), input.mode === 'full', Residency.EU);
    }
    case 'pulumi': {
      const component = build(undefined, input.id, input.props) as { chart: Chart };
      const residency = input.props.residency as Residency | undefined;
      return kubernetesProblems(component.chart.toJson(), input.mode === 'full', residency);
    }
  }
}

function kubernetesProblems(objects: KubeObject[], full: boolean, residency: Residency | undefined): string[] {
  const problems = full ? kubernetesConformance(objects) : schemaViolations(objects);
  if (residency) {
    for (const { where, spec } of podSpecs(objects)) {
      const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
      const pinned = terms.some((term: any) => (term.matchExpressions ?? []).some((expression: any) =>
        expression.key === REGION_LABEL && JSON.stringify(expression.values) === JSON.stringify(residency.allowedRegions)));
      if (!pinned) {
        problems.push(`${where}: pods not pinned to the residency policy "${residency.name}"`);
      }
    }
  }
  return problems;
}

/** How often a valid case is synthesized, and how often through the full harness (1 in N). */
export interface Sampling {
  readonly synthEvery: number;
  readonly fullEvery: number;
}

/** Valid props for one engine: the shared props, the engine's own, an id, and when residency is applied. */
export function validInputs(target: FuzzTarget, engine: FuzzEngine, sampling: Sampling): fc.Arbitrary<FuzzInput> {
  return fc.record({
    id: target.ids,
    shared: target.validProps,
    extra: target.engines[engine]!.extra,
    residencyLate: fc.boolean(),
    sample: fc.nat({ max: sampling.fullEvery - 1 }),
  }).map(({ id, shared, extra, residencyLate, sample }) => ({
    id, props: { ...shared, ...extra }, residencyLate, mode: sample === 0 ? 'full' : sample % sampling.synthEvery === 0 ? 'synth' : 'construct',
  }));
}

/** Invalid props for one engine, each with the prop its error must name. */
export function invalidInputs(target: FuzzTarget, engine: FuzzEngine): fc.Arbitrary<FuzzInput & { readonly prop: string }> {
  const cases = [...target.invalidProps, ...target.engines[engine]!.invalid];
  return fc.record({
    id: target.ids,
    shared: target.validProps,
    extra: target.engines[engine]!.extra,
    broken: fc.oneof(...cases.map((invalid) => fc.tuple(fc.constant(invalid.prop), invalid.mutate))),
  }).map(({ id, shared, extra, broken: [prop, mutate] }) => ({ id, props: mutate({ ...shared, ...extra }), prop, residencyLate: false, mode: 'full' as const }));
}

/** The outcome of an invalid case: the refusal naming the prop, or output the full harness accepts. */
export function checkInvalid(target: FuzzTarget, engine: FuzzEngine, input: FuzzInput & { readonly prop: string }): string | undefined {
  try {
    const problems = synthesize(target, engine, input);
    return problems.length === 0 ? undefined : `accepted invalid ${input.prop} into output the harness refuses: ${problems.join('; ')}`;
  } catch (error) {
    if (!isMlPlatformError(error)) {
      return `${input.prop}: not an MlPlatformError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
    return propMatches(input.prop, error.prop) ? undefined : `expected an error naming ${input.prop}, got ${error.prop}: ${error.message}`;
  }
}
