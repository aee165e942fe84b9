// Two components of one Pulumi program (issue 9, finding 6): refused exactly when they would create the same
// Kubernetes object, with an MlPlatformError naming both; accepted otherwise.
import * as fc from 'fast-check';
import { discoverTargets, FUZZ } from './harness';
import { isMlPlatformError } from '../../lib/core';
import type { FuzzTarget } from '../../lib/core/generators';
import { endProgram, nextProgram } from '../support/pulumi-mocks';

const targets = discoverTargets().filter((target) => target.engines.pulumi !== undefined);

// Pairs per run in `npm test`; a long run (FUZZ_RUNS) tries one pair per 10 single cases: each pair renders four components.
const PAIRS = FUZZ.runs === undefined ? 30 : Math.ceil(FUZZ.runs / 10);

/** A component of a program: a construct's valid Pulumi props with a name and a namespace from small sets, so pairs often clash. */
interface Component {
  readonly target: FuzzTarget;
  readonly id: string;
  readonly props: Record<string, unknown>;
}

const componentOf = (target: FuzzTarget): fc.Arbitrary<Component> => fc.record({
  target: fc.constant(target),
  // "Fraud_Endpoint" is no Kubernetes name: the objects take one derived from it.
  id: fc.constantFrom('fraud', 'Fraud_Endpoint'),
  shared: target.validProps,
  extra: target.engines.pulumi!.extra,
  name: fc.constantFrom(undefined, 'fraud'),
  namespace: fc.constantFrom(undefined, 'ml'),
}).map(({ id, shared, extra, name, namespace }) => {
  const props: Record<string, unknown> = { ...shared, ...extra, namespace };
  // The args that name the objects, where the construct has them: the given one, or none (named after the component).
  for (const naming of ['name', 'storeName'].filter((key) => key in props)) {
    props[naming] = name;
  }
  // Counterexamples print as what matters, not the whole generated target.
  return { target, id, props, [fc.toStringMethod]: () => `${target.name} ${JSON.stringify(id)} ${JSON.stringify({ name, namespace })}` };
});

// Half the pairs are of one construct, whose objects are of the same kinds.
const pairs = fc.constantFrom(...targets).chain(componentOf).chain((first) => fc.tuple(
  fc.constant(first), fc.oneof(componentOf(first.target), fc.constantFrom(...targets).chain(componentOf)),
));

type Built = { readonly chart: { toJson(): Record<string, any>[] } };
const build = (part: Component) => part.target.engines.pulumi!.build(undefined, part.id, part.props) as Built;

/** The objects a component creates, as API group, kind, namespace and name. */
function objectsOf(built: Built): string[] {
  return built.chart.toJson().map((object) => JSON.stringify([
    object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '', object.kind, object.metadata.namespace ?? '', object.metadata.name,
  ]));
}

/** Builds a component; its `MlPlatformError`, if it refuses. */
function attempt(part: Component): { built?: Built; refusal?: { where: string; prop: string; allowed: string } } {
  try {
    return { built: build(part) };
  } catch (error) {
    if (!isMlPlatformError(error)) {
      throw error;
    }
    return { refusal: error };
  }
}

afterAll(() => endProgram());

test('GIVEN two components in one Pulumi program THEN an MlPlatformError names both exactly when they create the same object', async () => {
  await fc.assert(fc.asyncProperty(pairs, async ([first, second]) => {
    await nextProgram();
    const { built: firstBuilt } = attempt(first);
    // A name or namespace from the small sets above that the construct refuses on its own: not a pair to judge.
    fc.pre(firstBuilt !== undefined);
    const together = attempt(second);
    if (together.built) {
      expect(objectsOf(together.built).filter((object) => objectsOf(firstBuilt!).includes(object))).toEqual([]);
      return;
    }
    await nextProgram();
    const { built: alone } = attempt(second);
    fc.pre(alone !== undefined);
    expect(objectsOf(alone!).filter((object) => objectsOf(firstBuilt!).includes(object)).length).toBeGreaterThan(0);
    expect(together.refusal!.where.endsWith(` ${second.id}`)).toBe(true);
    expect(together.refusal!.allowed).toContain(` ${first.id} already creates `);
    expect(['name', 'storeName']).toContain(together.refusal!.prop);
  }), { seed: FUZZ.seed, numRuns: PAIRS, endOnFailure: true });
});
