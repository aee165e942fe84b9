import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { AppSbom, applyResidency, ContainerImage, NamespaceBaseline, PlatformApp, Residency } from '../../constructs/k8s';
import { kubernetesConformance } from '../support/k8s-conformance';
import { sbomViolations } from '../support/sbom';

describe('NamespaceBaseline', () => {
  test('GIVEN defaults THEN the namespace enforces PSS restricted and a default-deny policy allows only DNS egress', () => {
    const chart = Testing.chart();
    new NamespaceBaseline(chart, 'Ns', { name: 'ml' });
    const [namespace, policy] = chart.toJson();
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(policy.spec.ingress).toBeUndefined();
    expect(policy.spec.egress).toHaveLength(1);
    expect(policy.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    expect(kubernetesConformance(chart.toJson())).toEqual([]);
  });

  test('GIVEN a chart with a default namespace THEN the cluster-scoped Namespace carries none', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ml' });
    new NamespaceBaseline(chart, 'Ns', { name: 'ml' });
    const [namespace, policy] = chart.toJson();
    expect(namespace.metadata.namespace).toBeUndefined();
    expect(policy.metadata.namespace).toBe('ml');
  });

  test('GIVEN allowDns false THEN nothing leaves the namespace', () => {
    const chart = Testing.chart();
    new NamespaceBaseline(chart, 'Ns', { name: 'ml', allowDns: false });
    expect(chart.toJson()[1].spec.egress).toBeUndefined();
  });
});

describe('AppSbom and PlatformApp', () => {
  test('GIVEN a PlatformApp WHEN synthesized THEN sbom.cdx.json is written beside the manifests and is valid', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'k8s-sbom-'));
    const app = new PlatformApp({ outdir });
    applyResidency(app, Residency.EU);
    const chart = new Chart(app, 'serving');
    new NamespaceBaseline(chart, 'Ns', { name: 'ml' });
    AppSbom.of(chart).addImage(ContainerImage.fromDigest(`registry.example.com/ml/server@sha256:${'2'.repeat(64)}`));
    app.synth();
    const json = readFileSync(join(outdir, 'sbom.cdx.json'), 'utf8');
    expect(await sbomViolations(json)).toEqual([]);
    expect(JSON.parse(json).components.map((c: any) => c.type).sort()).toEqual(['container', 'library']);
    expect(readFileSync(join(outdir, 'serving.k8s.yaml'), 'utf8')).toContain('kind: Namespace');
  });
});
