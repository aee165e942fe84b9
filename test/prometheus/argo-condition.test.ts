import { measurementPhase } from './argo-analysis';
import { ArgoConditionError, evaluateCondition } from './argo-condition';

describe('Argo Rollouts conditions (the expr-lang subset)', () => {
  test('GIVEN a scalar result THEN comparisons and isNaN behave as Go floats: NaN compares false', () => {
    expect(evaluateCondition('!isNaN(result) && result <= 0.01', 0.005)).toBe(true);
    expect(evaluateCondition('!isNaN(result) && result <= 0.01', NaN)).toBe(false);
    expect(evaluateCondition('!isNaN(result) && result > 0.01', NaN)).toBe(false);
    expect(evaluateCondition('result <= 0.01', NaN)).toBe(false);
    expect(evaluateCondition('result > -1 and not (result == 2)', 1)).toBe(true);
  });

  test('GIVEN a vector result THEN result[0] and len work, and || short-circuits past an index out of range', () => {
    expect(evaluateCondition('len(result) == 0 || result[0] <= 0.01', [])).toBe(true);
    expect(evaluateCondition('result[0] <= 0.01', [0.5])).toBe(false);
    expect(() => evaluateCondition('result[0] <= 0.01', [])).toThrow(new ArgoConditionError('index out of range: 0 (array length is 0)'));
  });

  test('GIVEN a condition typed for the other kind of result THEN it fails to compile, even behind a short-circuit', () => {
    expect(() => evaluateCondition('len(result) == 0 || result <= 1', 0.5)).toThrow('len: expected list, got float');
    expect(() => evaluateCondition('isNaN(result)', [1])).toThrow('isNaN: expected float, got list');
  });

  test('GIVEN syntax outside the subset THEN the evaluator refuses it instead of guessing', () => {
    expect(() => evaluateCondition('result * 100 < 1', 0.5)).toThrow(ArgoConditionError);
    expect(() => evaluateCondition('asFloat(result) < 1', 0.5)).toThrow('unsupported token "asFloat"');
  });

  test('GIVEN the former gate "len(result) == 0 || isNaN(result[0]) || result[0] <= 0.01" THEN no data and NaN were both Successful', () => {
    const former = { name: 'error-rate', successCondition: 'len(result) == 0 || isNaN(result[0]) || result[0] <= 0.01' };
    expect(measurementPhase(former, [])).toBe('Successful');
    expect(measurementPhase(former, [NaN])).toBe('Successful');
    expect(measurementPhase(former, [0.5])).toBe('Failed');
  });

  test('GIVEN both conditions THEN a value meeting neither is Inconclusive; with a success condition alone it is Failed', () => {
    const both = { name: 'gate', successCondition: '!isNaN(result) && result <= 1', failureCondition: '!isNaN(result) && result > 1' };
    expect(measurementPhase(both, NaN)).toBe('Inconclusive');
    expect(measurementPhase(both, 0.5)).toBe('Successful');
    expect(measurementPhase(both, 2)).toBe('Failed');
    expect(measurementPhase({ name: 'gate', successCondition: both.successCondition }, NaN)).toBe('Failed');
  });

  test('GIVEN a condition that errs or a failed query THEN the measurement is Error', () => {
    expect(measurementPhase({ name: 'gate', successCondition: 'result[0] <= 1' }, [])).toBe('Error');
    expect(measurementPhase({ name: 'gate', successCondition: 'result <= 1' }, { queryError: 'connection refused' })).toBe('Error');
  });
});
