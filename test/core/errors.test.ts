import { Construct, RootConstruct } from 'constructs';
import { isMlPlatformError, isUnresolved, MlPlatformError } from '../../lib/core';

describe('MlPlatformError', () => {
  test('GIVEN a construct WHEN thrown THEN the message names path, prop, value, what is allowed and the fix', () => {
    const root = new RootConstruct('');
    const construct = new Construct(new Construct(root, 'Platform'), 'Endpoint');
    const error = new MlPlatformError({ scope: construct, prop: 'minCapacity', value: 1, allowed: 'at least 2', fix: 'set minCapacity: 2' });
    expect(error.message).toBe('Platform/Endpoint: invalid minCapacity 1. Allowed: at least 2. Fix: set minCapacity: 2');
    expect(error).toBeInstanceOf(Error);
    expect(isMlPlatformError(error)).toBe(true);
    expect(error.prop).toBe('minCapacity');
  });

  test('GIVEN an unset value WHEN formatted THEN it says (not set)', () => {
    expect(MlPlatformError.format({ scope: 'X', prop: 'p', value: undefined, allowed: 'a', fix: 'f' })).toBe('X: invalid p (not set). Allowed: a. Fix: f');
  });
});

describe('isUnresolved', () => {
  test.each([
    ['${Token[TOKEN.12]}', true],
    [-1.8881545897087626e+289, true],
    ['eu-west-1', false],
    [42, false],
  ])('GIVEN %p THEN %p', (value, expected) => {
    expect(isUnresolved(value)).toBe(expected);
  });
});
