import { Construct, RootConstruct } from 'constructs';
import { Residency } from '../../lib/core';

describe('Residency', () => {
  test('GIVEN the EU set THEN it holds EU member-state regions and not London or Zurich', () => {
    expect(Residency.EU.allows('eu-west-1')).toBe(true);
    expect(Residency.EU.allows('eu-central-1')).toBe(true);
    expect(Residency.EU.allows('eu-west-2')).toBe(false);
    expect(Residency.EU.allows('eu-central-2')).toBe(false);
    expect(Residency.EU.allows('us-east-1')).toBe(false);
  });

  test('GIVEN a policy on an ancestor WHEN looked up from a child THEN the nearest policy wins', () => {
    const root = new RootConstruct('App');
    const stage = new Construct(root, 'Stage');
    const leaf = new Construct(stage, 'Leaf');
    Residency.EU.applyTo(root);
    const frankfurt = Residency.regions('frankfurt', 'eu-central-1');
    frankfurt.applyTo(stage);
    expect(Residency.of(leaf)).toBe(frankfurt);
    expect(Residency.of(root)).toBe(Residency.EU);
  });

  test('GIVEN no policy THEN of() is undefined', () => {
    expect(Residency.of(new RootConstruct('App'))).toBeUndefined();
  });

  test('GIVEN a second policy on the same scope THEN it is an error naming the first', () => {
    const root = new RootConstruct('App');
    Residency.EU.applyTo(root);
    expect(() => Residency.US.applyTo(root)).toThrow(/invalid residency "us". Allowed: one residency policy per scope; "eu" is already set here/);
  });

  test.each([
    ['no regions', 'custom', []],
    ['a bad name', 'Custom Policy', ['eu-west-1']],
    ['a bad region', 'custom', ['Ireland']],
  ])('GIVEN %s THEN Residency.regions rejects it', (_, name, regions) => {
    expect(() => Residency.regions(name as string, ...(regions as string[]))).toThrow(/^Residency.regions: invalid (name|regions)/);
  });
});
