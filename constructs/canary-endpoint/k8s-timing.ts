import { assertInRange, type PropFailure } from '../../lib/core';

/** How long a new pod of the Kubernetes `CanaryEndpoint` may take to serve, and the progress deadline that follows. */
export interface RolloutTiming {
  /** The startup probe: `/ping` every `periodSeconds`, up to `failureThreshold` failures before the kubelet restarts the server. */
  readonly startupProbe: { readonly periodSeconds: number; readonly failureThreshold: number };
  /** The seconds the startup probe allows (`periodSeconds × failureThreshold`). */
  readonly startupSeconds: number;
  /** The seconds allowed for scheduling the pod (on a node that may be new) and pulling its images. */
  readonly imagePullSeconds: number;
  /** The seconds allowed for the model loader, 0 without one. */
  readonly modelDownloadSeconds: number;
  /** The seconds from a passing startup probe to a ready pod: one readiness period. */
  readonly readinessSeconds: number;
  /**
   * Argo Rollouts' `progressDeadlineSeconds`: the sum of the above, so a slow but healthy pod is never aborted.
   * Argo does not count it during analysis or pause steps (`isIndefiniteStep` in `rollout/sync.go`), only while
   * a step waits for pods.
   */
  readonly progressDeadlineSeconds: number;
}

export const ROLLOUT_TIMING_DEFAULTS = {
  // Ten minutes for a large model to load: SageMaker's ContainerStartupHealthCheckTimeoutInSeconds allows 60-3600 s
  // (API_ProductionVariant), and the server follows SageMaker's /ping contract.
  startupTimeoutSeconds: 600,
  // The kubelet's default probe period (10 s); the startup probe's failure threshold counts in it.
  probePeriodSeconds: 10,
  // Five minutes to schedule (a node autoscaler may add a node first) and pull a multi-GiB serving image: the
  // kubelet itself never times a pull out, so without this allowance a cold node aborts a healthy canary.
  imagePullSeconds: 300,
  // With a model loader, ten minutes for it to download the model before the server starts (init containers run first).
  modelDownloadSeconds: 600,
} as const;

/**
 * The range of `startupTimeoutSeconds`: at least one probe period; at most a day, which no model load needs (a
 * larger number is a typo for minutes or milliseconds). SageMaker itself allows 60-3600 s.
 */
const STARTUP_RANGE = { min: ROLLOUT_TIMING_DEFAULTS.probePeriodSeconds, max: 86_400 } as const;

/** Derives the startup probe and the progress deadline from the startup allowance and whether a model loader runs. */
export function planRolloutTiming(fail: PropFailure, startupTimeoutSeconds: number | undefined, hasModelLoader: boolean): RolloutTiming {
  const startup = startupTimeoutSeconds ?? ROLLOUT_TIMING_DEFAULTS.startupTimeoutSeconds;
  assertInRange(fail, 'startupTimeoutSeconds', startup, {
    ...STARTUP_RANGE, why: 'seconds for the server to answer /ping, from one 10 s probe period to a day',
  });
  const periodSeconds = ROLLOUT_TIMING_DEFAULTS.probePeriodSeconds;
  const failureThreshold = Math.ceil(startup / periodSeconds);
  const startupSeconds = failureThreshold * periodSeconds;
  const imagePullSeconds = ROLLOUT_TIMING_DEFAULTS.imagePullSeconds;
  const modelDownloadSeconds = hasModelLoader ? ROLLOUT_TIMING_DEFAULTS.modelDownloadSeconds : 0;
  const readinessSeconds = periodSeconds;
  return {
    startupProbe: { periodSeconds, failureThreshold },
    startupSeconds,
    imagePullSeconds,
    modelDownloadSeconds,
    readinessSeconds,
    progressDeadlineSeconds: imagePullSeconds + modelDownloadSeconds + startupSeconds + readinessSeconds,
  };
}
