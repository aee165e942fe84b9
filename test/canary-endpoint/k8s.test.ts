import { App, Chart } from 'cdk8s';
import {
  AppSbom, applyResidency, CanaryEndpoint, type CanaryEndpointProps, ContainerImage, MlPlatformError, Residency,
} from '../../constructs/k8s';
import { CHALLENGER, IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';
import { kubernetesConformance } from '../support/k8s-conformance';
import { sbomViolations } from '../support/sbom';

const LOADER = ContainerImage.fromDigest(`registry.example.com/ml/model-loader@sha256:${'b'.repeat(64)}`);

function endpointChart(overrides: Partial<CanaryEndpointProps> = {}) {
  const app = new App({ outdir: 'unused' });
  applyResidency(app, Residency.EU);
  const chart = new Chart(app, 'serving', { namespace: 'ml' });
  const endpoint = new CanaryEndpoint(chart, 'Fraud', { name: 'fraud', model: MODEL, image: IMAGE, ...overrides });
  const objects = chart.toJson();
  const find = (kind: string, name = 'fraud') => objects.find((o) => o.kind === kind && o.metadata.name === name);
  return { app, endpoint, objects, find };
}

describe('Kubernetes CanaryEndpoint', () => {
  test('GIVEN defaults THEN every object is schema-valid, has no unknown fields, is PSS restricted and hardened', () => {
    expect(kubernetesConformance(endpointChart({ modelLoader: LOADER }).objects)).toEqual([]);
  });

  const ANALYSIS_STEP = { analysis: { templates: [{ templateName: 'fraud-gates' }], args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } };

  test('GIVEN defaults THEN the Rollout sets 10 % and bakes in an analysis step of the newest pods, with no background analysis and no clock-only pause', () => {
    const rollout = endpointChart().find('Rollout');
    expect(rollout.spec.strategy.canary).toEqual({
      stableService: 'fraud-stable',
      canaryService: 'fraud-canary',
      steps: [{ setWeight: 10 }, ANALYSIS_STEP],
    });
    expect(rollout.spec.progressDeadlineAbort).toBe(true);
    expect(rollout.spec.replicas).toBeUndefined();
  });

  test('GIVEN a linear shift of 25 % THEN three weight steps, each baked by the analysis', () => {
    const steps = endpointChart({ trafficShift: { kind: 'linear', percent: 25, bakeMinutes: 2 } }).find('Rollout').spec.strategy.canary.steps;
    expect(steps).toEqual([{ setWeight: 25 }, ANALYSIS_STEP, { setWeight: 50 }, ANALYSIS_STEP, { setWeight: 75 }, ANALYSIS_STEP]);
    expect(endpointChart({ trafficShift: { kind: 'linear', percent: 25, bakeMinutes: 2 } }).find('AnalysisTemplate', 'fraud-gates').spec.metrics[0].count).toBe(2);
  });

  test('GIVEN defaults THEN the progress deadline is 910 s: 300 s pull + 600 s startup probe + 10 s readiness, above the probe\'s allowance', () => {
    const { find, endpoint } = endpointChart();
    const rollout = find('Rollout');
    const probe = rollout.spec.template.spec.containers[0].startupProbe;
    expect([probe.failureThreshold, probe.periodSeconds]).toEqual([60, 10]);
    expect(rollout.spec.progressDeadlineSeconds).toBe(910);
    expect(rollout.spec.progressDeadlineSeconds).toBeGreaterThan(probe.failureThreshold * probe.periodSeconds + endpoint.timing.imagePullSeconds);
  });

  test('GIVEN a model loader THEN the deadline adds its 600 s download: 1510 s', () => {
    expect(endpointChart({ modelLoader: LOADER }).find('Rollout').spec.progressDeadlineSeconds).toBe(1510);
  });

  test('GIVEN a model loader and a 20-minute startup THEN the deadline adds the 600 s download: 300 + 600 + 1200 + 10 = 2110 s', () => {
    const { find } = endpointChart({ modelLoader: LOADER, startupTimeoutSeconds: 1200 });
    const rollout = find('Rollout');
    expect(rollout.spec.template.spec.containers[0].startupProbe.failureThreshold).toBe(120);
    expect(rollout.spec.progressDeadlineSeconds).toBe(2110);
  });

  test('GIVEN a startup of 65 s THEN the probe rounds up to 7 periods and the deadline counts the 70 s it allows', () => {
    const { find, endpoint } = endpointChart({ startupTimeoutSeconds: 65 });
    expect(find('Rollout').spec.template.spec.containers[0].startupProbe.failureThreshold).toBe(7);
    expect(endpoint.timing).toEqual({
      startupProbe: { periodSeconds: 10, failureThreshold: 7 },
      startupSeconds: 70,
      imagePullSeconds: 300,
      modelDownloadSeconds: 0,
      readinessSeconds: 10,
      progressDeadlineSeconds: 380,
    });
  });

  test('GIVEN defaults THEN the AnalysisTemplate measures traffic, 5xx rate (0.01) and p99 (1 s) 10 times a minute apart, NaN being neither success nor failure', () => {
    const spec = endpointChart().find('AnalysisTemplate', 'fraud-gates').spec;
    expect(spec.args).toEqual([{ name: 'canary-hash' }]);
    const limits = (m: any) => [m.name, m.initialDelay, m.interval, m.count, m.failureLimit, m.inconclusiveLimit, m.consecutiveErrorLimit];
    expect(spec.metrics.map(limits)).toEqual([
      ['canary-traffic', '60s', '60s', 10, 1, 0, 4],
      ['error-rate', '60s', '60s', 10, 1, 0, 4],
      ['p99-latency', '60s', '60s', 10, 1, 0, 4],
    ]);
    expect(spec.metrics.map((m: any) => [m.successCondition, m.failureCondition])).toEqual([
      ['!isNaN(result) && result > 0', 'false'],
      ['!isNaN(result) && result <= 0.01', '!isNaN(result) && result > 0.01'],
      ['!isNaN(result) && result <= 1', '!isNaN(result) && result > 1'],
    ]);
  });

  test('GIVEN defaults THEN every query returns a scalar from kube-prometheus-stack\'s Prometheus, counting a canary without 5xx series as 0 errors', () => {
    const spec = endpointChart().find('AnalysisTemplate', 'fraud-gates').spec;
    const canary = 'rollouts_pod_template_hash="{{args.canary-hash}}"';
    expect(spec.metrics.map((m: any) => m.provider.prometheus)).toEqual([
      { address: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090', query: `scalar(sum(increase(http_requests_total{${canary}}[60s])))` },
      {
        address: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
        query: `scalar((sum(rate(http_requests_total{${canary},code=~"5.."}[60s])) or vector(0)) / sum(rate(http_requests_total{${canary}}[60s])))`,
      },
      {
        address: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
        query: `scalar(histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${canary}}[60s]))))`,
      },
    ]);
  });

  test('GIVEN a Prometheus address and selector labels THEN the analysis queries it and the ServiceMonitor carries the labels', () => {
    const { find } = endpointChart({ prometheusAddress: 'https://prometheus.example.com', prometheusSelectorLabels: { prometheus: 'ml' } });
    const addresses = find('AnalysisTemplate', 'fraud-gates').spec.metrics.map((m: any) => m.provider.prometheus.address);
    expect(addresses).toEqual(Array(3).fill('https://prometheus.example.com'));
    expect(find('ServiceMonitor').metadata.labels).toEqual({ 'app.kubernetes.io/name': 'fraud', 'app.kubernetes.io/component': 'model-server', 'prometheus': 'ml' });
  });

  test('GIVEN defaults THEN the ServiceMonitor carries release: kube-prometheus-stack, which that chart\'s Prometheus selects by default', () => {
    expect(endpointChart().find('ServiceMonitor').metadata.labels.release).toBe('kube-prometheus-stack');
    expect(endpointChart({ prometheusSelectorLabels: {} }).find('ServiceMonitor').metadata.labels.release).toBeUndefined();
  });

  test('GIVEN defaults THEN the HPA targets the Rollout with 2-4 replicas at 70 % CPU and scales in slower than out', () => {
    expect(endpointChart().find('HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'fraud' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      },
    });
  });

  test('GIVEN defaults THEN a PDB of one unavailable pod, and three Services that select the pods on port 80 to 8080', () => {
    const { find } = endpointChart();
    expect(find('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud' } } });
    // Argo Rollouts adds the pod-template hash to the stable and canary selectors at run time; the callers' Service keeps every pod.
    expect(find('Service', 'fraud').metadata.labels['ml-platform-constructs/scrape']).toBe('true');
    expect(find('Service', 'fraud-canary').metadata.labels['ml-platform-constructs/scrape']).toBeUndefined();
    for (const name of ['fraud', 'fraud-stable', 'fraud-canary']) {
      expect(find('Service', name).spec).toEqual({
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': 'fraud' },
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        externalIPs: [],
      });
    }
  });

  test('GIVEN defaults THEN the NetworkPolicy admits TCP 8080 only and lets pods out to HTTPS and to the EKS Pod Identity Agent on TCP 80, IPv4 and IPv6', () => {
    const spec = endpointChart().find('NetworkPolicy').spec;
    expect(spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'fraud' } });
    expect(spec.policyTypes).toEqual(['Egress', 'Ingress']);
    expect(spec.ingress).toEqual([{ from: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '::/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
  });

  test('GIVEN a model loader THEN an init container downloads MODEL_URI into /opt/ml/model, the server mounts it read-only, with the same egress', () => {
    const { find } = endpointChart({ modelLoader: LOADER });
    const pod = find('Rollout').spec.template.spec;
    expect(pod.initContainers[0]).toMatchObject({
      name: 'model-loader',
      image: LOADER.reference,
      args: [MODEL.uri, '/opt/ml/model'],
      volumeMounts: [{ mountPath: '/opt/ml/model', name: 'model' }, { mountPath: '/tmp', name: 'tmp' }],
    });
    expect(pod.containers[0].volumeMounts).toEqual([{ mountPath: '/opt/ml/model', name: 'model', readOnly: true }, { mountPath: '/tmp', name: 'tmp' }]);
    expect(find('NetworkPolicy').spec.egress).toEqual(endpointChart().find('NetworkPolicy').spec.egress);
  });

  test('GIVEN no loader THEN the server gets the model as MODEL_URI, MODEL_NAME, MODEL_VERSION and MODEL_DIR with a writable model directory', () => {
    const server = endpointChart({ environment: { THREADS: '2' } }).find('Rollout').spec.template.spec.containers[0];
    expect(server.env).toEqual([
      { name: 'THREADS', value: '2' },
      { name: 'MODEL_URI', value: MODEL.uri },
      { name: 'MODEL_NAME', value: 'fraud' },
      { name: 'MODEL_VERSION', value: '1.4.0' },
      { name: 'MODEL_DIR', value: '/opt/ml/model' },
    ]);
    expect(server.volumeMounts[0]).toEqual({ mountPath: '/opt/ml/model', name: 'model', readOnly: false });
    expect(server.readinessProbe.httpGet).toEqual({ path: '/ping', port: 8080, scheme: 'HTTP' });
    // Ten minutes to load the model before liveness checks start.
    expect(server.startupProbe).toMatchObject({ httpGet: { path: '/ping', port: 8080 }, failureThreshold: 60, periodSeconds: 10 });
    expect(server.livenessProbe.initialDelaySeconds).toBeUndefined();
  });

  test('GIVEN an EU policy THEN pods require EU regions, spread across zones, and use a ServiceAccount without a token', () => {
    const { find } = endpointChart();
    const pod = find('Rollout').spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toMatchObject({
      key: 'topology.kubernetes.io/region', operator: 'In',
    });
    expect(pod.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'fraud' } },
    }]);
    expect(pod.serviceAccountName).toBe('fraud');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find('ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test('GIVEN defaults THEN a ServiceMonitor scrapes every pod once, through the callers\' Service, keeping the pod-template hash', () => {
    expect(endpointChart().find('ServiceMonitor').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud', 'ml-platform-constructs/scrape': 'true' } },
      podTargetLabels: ['rollouts-pod-template-hash'],
      endpoints: [{ port: 'http', path: '/metrics', interval: '15s' }],
    });
  });

  test('GIVEN NGINX or Istio routing THEN the Rollout routes through it', () => {
    expect(endpointChart({ trafficRouting: { nginxStableIngress: 'fraud' } }).find('Rollout').spec.strategy.canary.trafficRouting)
      .toEqual({ nginx: { stableIngress: 'fraud' } });
    expect(endpointChart({ trafficRouting: { istioVirtualService: 'fraud-vs' } }).find('Rollout').spec.strategy.canary.trafficRouting)
      .toEqual({ istio: { virtualService: { name: 'fraud-vs' } } });
  });

  test('GIVEN the endpoint THEN the app SBOM is valid and lists the model, the server and the loader image', async () => {
    const { app } = endpointChart({ modelLoader: LOADER });
    const json = AppSbom.of(app).toJson();
    expect(await sbomViolations(json)).toEqual([]);
    expect(JSON.parse(json).components.map((c: any) => `${c.type}:${c.name}`)).toEqual(
      expect.arrayContaining(['machine-learning-model:fraud', 'container:fraud-server', 'container:model-loader']),
    );
  });

  test('snapshot of the default output', () => {
    expect(endpointChart().objects).toMatchSnapshot();
  });
});

/** Invalid Kubernetes-only props: [what, props, the prop the error must name]. */
const INVALID_K8S_PROPS: Array<[string, Partial<CanaryEndpointProps>, string]> = [
  ['a name that is not a DNS label', { name: 'Fraud_Model' }, 'name'],
  ['a shadow variant, which needs mesh mirroring', { shadow: { model: CHALLENGER } }, 'shadow'],
  ['a Prometheus address without a scheme', { prometheusAddress: 'prometheus:9090' }, 'prometheusAddress'],
  ['two traffic routers', { trafficRouting: { nginxStableIngress: 'a', istioVirtualService: 'b' } }, 'trafficRouting'],
  ['a relative metrics path', { serverMetrics: { path: 'metrics' } }, 'serverMetrics.path'],
  ['a model loader by mutable tag', { modelLoader: ContainerImage.fromTag('registry.example.com/loader:1') }, 'modelLoader'],
  ['a CPU limit below the request', { resources: { cpuMillis: 1000, cpuLimitMillis: 500 } }, 'cpuLimitMillis'],
  ['a startup timeout below one 10 s probe period', { startupTimeoutSeconds: 5 }, 'startupTimeoutSeconds'],
  ['a startup timeout above a day', { startupTimeoutSeconds: 86_401 }, 'startupTimeoutSeconds'],
  ['a fractional startup timeout', { startupTimeoutSeconds: 60.5 }, 'startupTimeoutSeconds'],
  ['a selector label name with a space', { prometheusSelectorLabels: { 'my release': 'x' } }, 'prometheusSelectorLabels.my release'],
  ['a selector label value of 64 characters', { prometheusSelectorLabels: { release: 'a'.repeat(64) } }, 'prometheusSelectorLabels.release'],
  ['a selector label the construct sets itself', { prometheusSelectorLabels: { 'app.kubernetes.io/name': 'x' } }, 'prometheusSelectorLabels.app.kubernetes.io/name'],
];

describe('Kubernetes CanaryEndpoint: invalid props', () => {
  test('GIVEN a selector label the construct sets THEN the message says which labels are the construct\'s', () => {
    expect(thrownBy(() => endpointChart({ prometheusSelectorLabels: { 'app.kubernetes.io/component': 'x' } })).message).toBe(
      'serving/Fraud: invalid prometheusSelectorLabels.app.kubernetes.io/component "app.kubernetes.io/component". '
      + 'Allowed: a label other than app.kubernetes.io/name, app.kubernetes.io/component (set by the construct). Fix: select by another label, e.g. "release"',
    );
  });

  test('GIVEN a startup timeout of 5 s THEN the message gives the range and why', () => {
    expect(thrownBy(() => endpointChart({ startupTimeoutSeconds: 5 })).message).toBe(
      'serving/Fraud: invalid startupTimeoutSeconds 5. Allowed: a whole number from 10 to 86400 (seconds for the server to answer /ping, '
      + 'from one 10 s probe period to a day). Fix: set startupTimeoutSeconds within 10-86400',
    );
  });

  test('GIVEN a prefixed selector label and an empty value THEN both are accepted', () => {
    expect(endpointChart({ prometheusSelectorLabels: { 'monitoring.example.com/team': '' } }).find('ServiceMonitor').metadata.labels['monitoring.example.com/team']).toBe('');
  });

  test.each(INVALID_K8S_PROPS)('GIVEN %s THEN an MlPlatformError names the prop', (_what, overrides, prop) => {
    const error = thrownBy(() => endpointChart(overrides));
    expect(error).toBeInstanceOf(MlPlatformError);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(new RegExp(`^serving/Fraud: invalid ${prop.replace(/\./g, '\\.')} .+\\. Allowed: .+\\. Fix: .+`));
  });
});
