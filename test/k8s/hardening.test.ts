import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { applyResidency, ContainerImage, hardenedContainer, hardenedPodProps, hardenWorkload, Residency } from '../../constructs/k8s';
import { kubernetesConformance, podSecurityViolations } from '../support/k8s-conformance';

const IMAGE = ContainerImage.fromDigest(`registry.example.com/ml/server@sha256:${'1'.repeat(64)}`);

function deployment(chart: Chart, image = IMAGE): kplus.Deployment {
  const workload = new kplus.Deployment(chart, 'Server', {
    ...hardenedPodProps(),
    replicas: 2,
    containers: [hardenedContainer({ scope: chart, imageProp: 'image', image, port: 8080 })],
  });
  hardenWorkload(workload);
  return workload;
}

describe('hardened Kubernetes defaults', () => {
  test('GIVEN a hardened deployment THEN it passes schema, unknown-field, PSS restricted and hardening checks', () => {
    const chart = Testing.chart();
    deployment(chart);
    expect(kubernetesConformance(chart.toJson())).toEqual([]);
  });

  test('GIVEN a hardened container THEN seccomp RuntimeDefault and dropping ALL capabilities are set (cdk8s-plus-28 omits both)', () => {
    const chart = Testing.chart();
    deployment(chart);
    const container = chart.toJson()[0].spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({
      seccompProfile: { type: 'RuntimeDefault' },
      capabilities: { drop: ['ALL'] },
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      privileged: false,
    });
    expect(container.resources).toEqual({ limits: { cpu: '1000m', memory: '1024Mi' }, requests: { cpu: '500m', memory: '1024Mi' } });
  });

  test('GIVEN an EU policy on the app THEN pods require nodes in EU regions and spread across zones', () => {
    const app = new App();
    applyResidency(app, Residency.EU);
    const chart = new Chart(app, 'Serving');
    deployment(chart);
    const pod = chart.toJson()[0].spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'topology.kubernetes.io/region', operator: 'In', values: [...Residency.EU.allowedRegions] }] },
    ]);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toMatchObject({
      weight: 100, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone' },
    });
  });

  test('GIVEN no policy THEN no region affinity', () => {
    const chart = Testing.chart();
    deployment(chart);
    expect(chart.toJson()[0].spec.template.spec.affinity.nodeAffinity).toBeUndefined();
  });

  test('GIVEN an image by tag THEN the container fails naming the prop', () => {
    const chart = Testing.chart();
    expect(() => deployment(chart, ContainerImage.fromTag('nginx:1.27'))).toThrow(/^test: invalid image "nginx:1.27"|invalid image "nginx:1.27". Allowed: an image pinned by digest/);
  });

  test('GIVEN a CPU limit below the request THEN MlPlatformError naming cpuLimitMillis', () => {
    const chart = Testing.chart();
    expect(() => hardenedContainer({ scope: chart, imageProp: 'image', image: IMAGE, cpuMillis: 800, cpuLimitMillis: 400 }))
      .toThrow(/invalid cpuLimitMillis 400. Allowed: at least the CPU request \(800\)/);
  });

  test('GIVEN a pod without seccomp THEN the PSS restricted check fails', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'Plain', { containers: [{ image: 'nginx', securityContext: { ensureNonRoot: true } }] });
    expect(podSecurityViolations(chart.toJson())).toEqual(expect.arrayContaining([
      expect.stringMatching(/seccompProfile.type must be RuntimeDefault or Localhost/),
      expect.stringMatching(/capabilities.drop must include ALL/),
    ]));
  });
});
