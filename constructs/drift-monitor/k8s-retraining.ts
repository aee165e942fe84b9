import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import type { RetrainingJobTemplate } from './k8s-props';
import { Residency } from '../../lib/core';
import { hardenedContainer, hardenedPodProps, REGION_LABEL } from '../../lib/k8s';

/** The annotation holding a retraining request's evidence (the runner's EVIDENCE_ANNOTATION). */
export const EVIDENCE_ANNOTATION = 'ml-platform/drift-evidence';

const DEFAULTS = {
  // One retry: a training pod lost to a node failure gets a second chance, a broken one does not loop.
  backoffLimit: 1,
  // A day of training once approved: the activeDeadlineSeconds timer is stopped and reset while a Job is suspended
  // (kubernetes.io/docs/concepts/workloads/controllers/job/#suspending-a-job).
  activeDeadlineSeconds: 86400,
  // An hour to read the outcome; then the Job is deleted and a later breach opens a new request.
  ttlSecondsAfterFinished: 3600,
} as const;

// cdk8s-plus's pod address label: a construct path, meaningless in a Job the runner creates.
const ADDRESS_LABEL = kplus.Pod.ADDRESS_LABEL;

/** What the retraining Job is made from. */
export interface RetrainingJobOptions {
  /** The construct whose residency applies, for error messages too. */
  readonly scope: IConstruct;
  /** The deterministic Job name. */
  readonly name: string;
  /** The namespace the monitor runs in, when the chart sets one. */
  readonly namespace?: string;
  /** The labels of the Job and its pod. */
  readonly labels: Record<string, string>;
  /** The model retrained. */
  readonly model: { readonly name: string; readonly version: string };
  /** The user's template. */
  readonly template: RetrainingJobTemplate;
}

/**
 * The retraining Job the runner creates, as plain Kubernetes JSON: suspended (`spec.suspend: true`) until a human
 * approves it, hardened like every pod of this library (PSS restricted, read-only root, no token), pinned to the
 * residency policy in force when called (call it at synthesis). The training container gets `MODEL_NAME`,
 * `MODEL_VERSION` and `DRIFT_EVIDENCE` (the evidence of the breach that opened the request, from the pod's annotation).
 */
export function retrainingJob(options: RetrainingJobOptions): Record<string, any> {
  const { template } = options;
  // Rendered in a private chart: cdk8s-plus builds the hardened pod, which this chart never deploys.
  const chart = new Chart(new App({ outdir: 'unused' }), 'retraining');
  new kplus.Job(chart, 'Job', {
    ...hardenedPodProps(),
    isolate: false,
    metadata: { name: options.name, labels: options.labels },
    podMetadata: { labels: options.labels },
    restartPolicy: kplus.RestartPolicy.NEVER,
    backoffLimit: template.backoffLimit ?? DEFAULTS.backoffLimit,
    ...(template.serviceAccountName ? { serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Account', template.serviceAccountName) } : {}),
    containers: [{
      ...hardenedContainer({
        scope: options.scope,
        imageProp: 'retraining.jobTemplate.image',
        image: template.image,
        name: 'train',
        command: template.command,
        args: template.args,
        env: template.env,
        ...template.resources,
      }),
      envVariables: {
        ...Object.fromEntries(Object.entries(template.env ?? {}).map(([key, value]) => [key, kplus.EnvValue.fromValue(value)])),
        MODEL_NAME: kplus.EnvValue.fromValue(options.model.name),
        MODEL_VERSION: kplus.EnvValue.fromValue(options.model.version),
        DRIFT_EVIDENCE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_ANNOTATION, { key: EVIDENCE_ANNOTATION }),
      },
      volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(chart, 'Tmp', 'tmp') }],
    }],
  });
  const [job] = chart.toJson();
  delete job.spec.template.metadata.labels[ADDRESS_LABEL];
  job.spec = {
    ...job.spec,
    suspend: true,
    activeDeadlineSeconds: template.activeDeadlineSeconds ?? DEFAULTS.activeDeadlineSeconds,
    ttlSecondsAfterFinished: template.ttlSecondsAfterFinished ?? DEFAULTS.ttlSecondsAfterFinished,
  };
  if (options.namespace !== undefined) {
    job.metadata.namespace = options.namespace;
  }
  const policy = Residency.of(options.scope);
  if (policy) {
    job.spec.template.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: REGION_LABEL, operator: 'In', values: [...policy.allowedRegions] }] }],
        },
      },
    };
  }
  return job;
}
