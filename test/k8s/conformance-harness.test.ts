import { kubernetesConformance, schemaViolations, unknownFieldViolations } from '../support/k8s-conformance';

const pod = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'main',
      image: 'registry.example.com/x@sha256:' + 'a'.repeat(64),
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      ...extra,
    }],
  },
});

describe('Kubernetes conformance harness', () => {
  test('GIVEN a compliant pod THEN no problems', () => {
    expect(kubernetesConformance([pod()])).toEqual([]);
  });

  test('GIVEN a field the schema does not know THEN the strict check names it', () => {
    const problems = unknownFieldViolations([pod({ imagePullPolcy: 'Always' })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/#0 v1\/Pod p: .*'"imagePullPolcy"' does not exist in type 'IContainer'/);
  });

  test('GIVEN a value of the wrong type THEN the schema validation names it', () => {
    const problems = schemaViolations([{ ...pod(), spec: { containers: 'main' } }]);
    expect(problems[0]).toMatch(/#0 v1\/Pod p: .*containers/);
  });

  test('GIVEN a CRD kind THEN its own package validates it', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: { selector: { matchLabels: { app: 'r' } }, strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: '10m' } }] } } },
    };
    expect(schemaViolations([rollout])).toEqual([]);
    expect(unknownFieldViolations([{ ...rollout, spec: { ...rollout.spec, canaryPercent: 10 } }])[0]).toMatch(/'"canaryPercent"' does not exist/);
  });

  test('GIVEN an unknown kind THEN it is reported, not skipped', () => {
    expect(schemaViolations([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]))
      .toEqual(['#0 example.com/v1/Widget w: no kubernetes-models schema for this apiVersion and kind (install kubernetes-models 4 '
        + 'and the @kubernetes-models package of its CRD: argo-rollouts, argo-cd, keda or prometheus-operator)']);
  });
});
