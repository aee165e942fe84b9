import { ArgoConditionError, type ArgoResult, evaluateCondition } from './argo-condition';

/** The phase of one measurement, or of a metric or run that has finished. */
export type AnalysisPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** The fields of an AnalysisTemplate metric that decide a verdict. */
export interface AnalysisMetric {
  readonly name: string;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly count?: number;
  readonly failureLimit?: number;
  readonly inconclusiveLimit?: number;
  readonly consecutiveErrorLimit?: number;
}

/** A measurement's result, or a query error (Prometheus unreachable, a bad query). */
export type Measured = ArgoResult | { readonly queryError: string };

/** argo-rollouts `utils/evaluate/evaluate.go` `EvaluateResult`: one measurement's phase. */
export function measurementPhase(metric: AnalysisMetric, measured: Measured): AnalysisPhase {
  if (typeof measured === 'object' && 'queryError' in measured) {
    return 'Error';
  }
  let success = false;
  let failure = false;
  try {
    if (metric.successCondition) {
      success = evaluateCondition(metric.successCondition, measured);
    }
    if (metric.failureCondition) {
      failure = evaluateCondition(metric.failureCondition, measured);
    }
  } catch (error) {
    if (error instanceof ArgoConditionError) {
      return 'Error';
    }
    throw error;
  }
  if (!metric.successCondition && !metric.failureCondition) {
    return 'Successful';
  }
  if (metric.successCondition && !metric.failureCondition) {
    failure = !success;
  }
  if (!metric.successCondition && metric.failureCondition) {
    success = !failure;
  }
  if (failure) {
    return 'Failed';
  }
  return success ? 'Successful' : 'Inconclusive';
}

/**
 * argo-rollouts `analysis/analysis.go` `assessMetricStatus` and `assessMetricFailureInconclusiveOrError`, for a
 * metric with a count and no consecutiveSuccessLimit: its phase after the given measurements, `Running` while
 * the count is not reached and no limit is exceeded.
 */
export function metricPhase(metric: AnalysisMetric, phases: readonly AnalysisPhase[]): AnalysisPhase | 'Running' {
  let failed = 0;
  let inconclusive = 0;
  let consecutiveErrors = 0;
  let count = 0;
  for (const phase of phases) {
    if (phase === 'Error') {
      consecutiveErrors++;
      continue;
    }
    consecutiveErrors = 0;
    count++;
    failed += phase === 'Failed' ? 1 : 0;
    inconclusive += phase === 'Inconclusive' ? 1 : 0;
    // The limits are checked after every measurement; the first exceeded one ends the metric.
    let verdict: AnalysisPhase | undefined;
    const failureLimit = metric.failureLimit ?? 0;
    if (failureLimit >= 0 && failed > failureLimit) {
      verdict = 'Failed';
    }
    if (inconclusive > (metric.inconclusiveLimit ?? 0)) {
      verdict = 'Inconclusive';
    }
    if (verdict) {
      return verdict;
    }
  }
  if (consecutiveErrors > (metric.consecutiveErrorLimit ?? 4)) {
    return 'Error';
  }
  return metric.count !== undefined && count >= metric.count ? 'Successful' : 'Running';
}

// `utils/analysis/helpers.go` analysisStatusOrder: later is worse.
const WORSE_ORDER: ReadonlyArray<AnalysisPhase | 'Running'> = ['Successful', 'Running', 'Inconclusive', 'Error', 'Failed'];

/**
 * The run's phase: once a metric ends Failed, Error or Inconclusive the run terminates (the others count as
 * Successful) and takes the worst phase; otherwise it runs until every metric succeeded.
 */
export function runPhase(phases: ReadonlyArray<AnalysisPhase | 'Running'>): AnalysisPhase | 'Running' {
  const terminating = phases.some((phase) => phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive');
  const settled = phases.map((phase) => (phase === 'Running' && terminating ? 'Successful' : phase));
  if (settled.includes('Running')) {
    return 'Running';
  }
  return settled.reduce((worst, phase) => (WORSE_ORDER.indexOf(phase) > WORSE_ORDER.indexOf(worst) ? phase : worst), 'Successful');
}

/** What the Rollout does with a step analysis that ended so (`rollout/analysis.go` `reconcileStepBasedAnalysisRun`). */
export function rolloutAction(phase: AnalysisPhase | 'Running'): 'promote' | 'abort' | 'pause' | 'wait' {
  switch (phase) {
    case 'Successful': return 'promote';
    case 'Failed':
    case 'Error': return 'abort';
    case 'Inconclusive': return 'pause';
    case 'Running': return 'wait';
  }
}
