import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { canaryDashboardRow } from './dashboard-row';
import { CANARY_HASH_ARG, gatesAnalysisSpec, type ServerMetricNames } from './k8s-analysis';
import { checkCanaryKubernetesProps } from './k8s-props';
import { planRolloutTiming, type RolloutTiming } from './k8s-timing';
import { type CanaryEndpointPlan, type CanaryEndpointPlanProps, planCanaryEndpoint } from './plan';
import { addCanaryToCatalog } from './platform-entries';
import { type ContainerImage, propFailure } from '../../lib/core';
import {
  allowAwsApiEgress, AppSbom, type ContainerSize, derivedObjectName, hardenedContainer, hardenedPodProps, KUBE_PROMETHEUS_STACK,
  PlatformServices, prometheusSelectorLabels, residencyAffinity,
} from '../../lib/k8s';

export type { ServerMetricNames } from './k8s-analysis';
export type { RolloutTiming } from './k8s-timing';

/** Traffic routing through a mesh or an ingress controller, for exact canary weights. */
export interface CanaryTrafficRouting {
  /**
   * Route through the NGINX ingress controller: the name of the Ingress that sends traffic to `<name>-stable`.
   * @default - not NGINX
   */
  readonly nginxStableIngress?: string;
  /**
   * Route through Istio: the name of the VirtualService whose routes send traffic to `<name>-stable` and `<name>-canary`.
   * @default - not Istio
   */
  readonly istioVirtualService?: string;
}

/** Props for the Kubernetes `CanaryEndpoint`. */
export interface CanaryEndpointProps extends CanaryEndpointPlanProps {
  /**
   * The name of the Rollout, the callers' Service and the other objects; Argo Rollouts manages `<name>-stable` and `<name>-canary`.
   * @default - a DNS label derived from the construct path
   */
  readonly name?: string;
  /**
   * The Prometheus that the analysis queries (from the Argo Rollouts controller's pod).
   * @default "http://kube-prometheus-stack-prometheus.monitoring.svc:9090" - the Prometheus Service of a kube-prometheus-stack release named `kube-prometheus-stack` in `monitoring`
   */
  readonly prometheusAddress?: string;
  /**
   * The labels your Prometheus selects ServiceMonitors by (its `serviceMonitorSelector`); set on the ServiceMonitor.
   * An empty object for a Prometheus that selects every ServiceMonitor.
   * @default { release: "kube-prometheus-stack" } - kube-prometheus-stack's default selector for a release of that name
   */
  readonly prometheusSelectorLabels?: Record<string, string>;
  /**
   * Seconds the server may take to answer `/ping` after it starts (loading the model), before the kubelet restarts it.
   * The Rollout's progress deadline adds image pull and model download allowances to it.
   * @default 600
   */
  readonly startupTimeoutSeconds?: number;
  /**
   * The metric names the model server exports.
   * @default - `http_requests_total` and `http_request_duration_seconds_bucket` on `/metrics`
   */
  readonly serverMetrics?: ServerMetricNames;
  /**
   * Exact traffic weights through a mesh or an ingress controller.
   * @default - replica ratio: the canary's share is its share of pods (a 10 % step beside 2 stable replicas runs 1 canary pod, a third of requests)
   */
  readonly trafficRouting?: CanaryTrafficRouting;
  /**
   * An init container image that downloads the model: it runs with arguments `<MODEL_URI> /opt/ml/model`.
   * Pods may reach the network on TCP 443 only, either way.
   * @default - none: the server downloads the model from `MODEL_URI` itself
   */
  readonly modelLoader?: ContainerImage;
  /**
   * CPU and memory of the serving container.
   * @default - 500m CPU request, 1000m limit, 1024 MiB
   */
  readonly resources?: ContainerSize;
}

// Where SageMaker puts a model, so the same server image runs on both engines.
export const MODEL_DIR = '/opt/ml/model';
const SERVICE_PORT = 80;
// Marks the Services the ServiceMonitor scrapes.
const SCRAPE_LABEL = 'ml-platform-constructs/scrape';

/**
 * A model server on Kubernetes whose new versions reach users only through an Argo Rollouts canary that aborts
 * and scales back to the stable version when the error-rate or p99-latency analysis fails, and pauses for a
 * human when the analysis has no data.
 *
 * Creates: a `Rollout` whose every canary step is baked by an analysis step, an `AnalysisTemplate` with the
 * Prometheus gates, the callers' `Service` (`<name>`, every pod) and the `<name>-stable` and `<name>-canary`
 * Services, an `autoscaling/v2` HPA on the Rollout with explicit behavior, a PodDisruptionBudget, a
 * NetworkPolicy admitting only the serving port and letting pods reach AWS APIs and their credentials only,
 * a ServiceAccount without a token, and a `ServiceMonitor` labelled for the Prometheus that selects it. Pods
 * are hardened (PSS restricted, read-only root) and pinned to the residency policy.
 *
 * The model reaches the server as environment: `MODEL_URI`, `MODEL_NAME`, `MODEL_VERSION` (when known) and
 * `MODEL_DIR=/opt/ml/model`, a writable empty directory; with `modelLoader`, an init container fills it first.
 */
export class CanaryEndpoint extends Construct {
  /** The resolved plan. */
  public readonly plan: CanaryEndpointPlan;
  /** The base name of every object. */
  public readonly name: string;
  /** The Argo Rollouts `Rollout`. */
  public readonly rollout: ApiObject;
  /** The `AnalysisTemplate` holding the rollback gates. */
  public readonly analysisTemplate: ApiObject;
  /** The Service callers use: it selects every pod, so without traffic routing the canary's share is its share of pods. */
  public readonly service: kplus.Service;
  /** The Service Argo Rollouts points at the stable version's pods (for traffic routing and metrics). */
  public readonly stableService: kplus.Service;
  /** The Service that selects the canary's pods. */
  public readonly canaryService: kplus.Service;
  /** The HorizontalPodAutoscaler on the Rollout. */
  public readonly autoscaler: ApiObject;
  /** The PodDisruptionBudget. */
  public readonly disruptionBudget: ApiObject;
  /** The NetworkPolicy admitting traffic on the serving port only. */
  public readonly networkPolicy: kplus.NetworkPolicy;
  /** The pods' ServiceAccount (no token mounted). */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The `ServiceMonitor` scraping every pod through the callers' Service. */
  public readonly serviceMonitor: ApiObject;
  /** The startup allowances and the progress deadline derived from them. */
  public readonly timing: RolloutTiming;

  public constructor(scope: Construct, id: string, props: CanaryEndpointProps) {
    super(scope, id);
    this.plan = planCanaryEndpoint(this, props);
    this.name = checkCanaryKubernetesProps(this, props, derivedObjectName(this, 45));
    this.validate(props);
    this.timing = planRolloutTiming(propFailure(this), props.startupTimeoutSeconds, props.modelLoader !== undefined);
    const labels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'model-server' };
    const platform = PlatformServices.of(this);
    const selectorLabels = prometheusSelectorLabels(propFailure(this), 'prometheusSelectorLabels',
      props.prometheusSelectorLabels ?? platform?.prometheus.selectorLabels, Object.keys(labels));
    const selector = { 'app.kubernetes.io/name': this.name };
    const canaryName = `${this.name}-canary`;
    const stableName = `${this.name}-stable`;

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, labels },
      automountToken: false,
    });
    // Every pod is behind the callers' Service exactly once (Argo Rollouts points the stable and canary Services
    // at whole ReplicaSets, both at the stable one between rollouts), so the ServiceMonitor scrapes through it.
    this.service = this.createService('Service', this.name, { ...labels, [SCRAPE_LABEL]: 'true' }, selector);
    this.stableService = this.createService('StableService', stableName, labels, selector);
    this.canaryService = this.createService('CanaryService', canaryName, labels, selector);

    const metrics: Required<ServerMetricNames> = {
      requestsTotal: props.serverMetrics?.requestsTotal ?? 'http_requests_total',
      requestDurationBucket: props.serverMetrics?.requestDurationBucket ?? 'http_request_duration_seconds_bucket',
      path: props.serverMetrics?.path ?? '/metrics',
    };
    this.analysisTemplate = new ApiObject(this, 'Gates', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: `${this.name}-gates`, labels },
      spec: gatesAnalysisSpec(this.plan, props.prometheusAddress ?? platform?.prometheus.address ?? KUBE_PROMETHEUS_STACK.address, metrics),
    });

    const rollout: IRollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: this.name, labels },
      spec: {
        // No `replicas`: the HPA owns the count (it starts at minReplicas), and a re-applied manifest must not reset it.
        selector: { matchLabels: selector },
        template: this.podTemplate(props, labels, selector) as any,
        revisionHistoryLimit: 3,
        // Image pull, model download and startup allowances: a slow but healthy pod is never aborted.
        progressDeadlineSeconds: this.timing.progressDeadlineSeconds,
        // Without this a stuck rollout only reports Degraded; with it the canary is scaled away and stable serves.
        progressDeadlineAbort: true,
        strategy: {
          canary: {
            stableService: stableName,
            canaryService: canaryName,
            // The analysis is each step's bake: the next step starts only after it succeeded, so a step
            // never ends on the clock without a verdict, and a run without data pauses instead of promoting.
            steps: this.plan.trafficShift.steps.flatMap((step) => [
              { setWeight: step.weightPercent },
              { analysis: { templates: [{ templateName: `${this.name}-gates` }], args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }] } },
            ]),
            trafficRouting: this.trafficRouting(props.trafficRouting),
          },
        },
      },
    };
    this.rollout = new ApiObject(this, 'Resource', rollout as any);

    const autoscaling = this.plan.autoscaling;
    const hpa: IHorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: this.name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: this.name },
        minReplicas: autoscaling.minCapacity,
        maxReplicas: autoscaling.maxCapacity,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCpuUtilizationPercent } } }],
        behavior: {
          // Scale out at once, doubling at most every cooldown; scale in one pod at a time after a quiet window.
          scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: Math.max(autoscaling.scaleOutCooldownSeconds, 15) }] },
          scaleDown: { stabilizationWindowSeconds: autoscaling.scaleInCooldownSeconds, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        },
      },
    };
    this.autoscaler = new ApiObject(this, 'Autoscaler', hpa as any);

    const pdb: IPodDisruptionBudget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: this.name, labels },
      // A drain evicts one replica at a time, so at least minCapacity - 1 keep serving.
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    };
    this.disruptionBudget = new ApiObject(this, 'DisruptionBudget', pdb as any);

    this.networkPolicy = new kplus.NetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, labels },
      selector: kplus.Pods.select(this, 'Pods', { labels: selector }),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    // Callers and Prometheus reach the server on its one port; nothing else gets in.
    this.networkPolicy.addIngressRule(kplus.Pods.all(this, 'AnyPod', { namespaces: kplus.Namespaces.all(this, 'AnyNamespace') }), [kplus.NetworkPolicyPort.tcp(this.plan.port)]);
    // The model is downloaded over HTTPS (by the loader or the server) with IRSA or Pod Identity credentials; no
    // other egress besides cluster DNS.
    allowAwsApiEgress(this, this.networkPolicy);

    const monitor: IServiceMonitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: this.name, labels: { ...labels, ...selectorLabels } },
      spec: {
        // The callers' Service only, so each pod is scraped once.
        selector: { matchLabels: { ...selector, [SCRAPE_LABEL]: 'true' } },
        // The analysis tells canary pods from stable ones by this label (as rollouts_pod_template_hash).
        podTargetLabels: ['rollouts-pod-template-hash'],
        // 15 s scrapes give four samples per one-minute gate window.
        endpoints: [{ port: 'http', path: metrics.path, interval: '15s' }],
      },
    };
    this.serviceMonitor = new ApiObject(this, 'ServiceMonitor', monitor as any);

    const sbom = AppSbom.of(this);
    const service = sbom.addService({ name: this.name, description: `Argo Rollouts canary endpoint ${this.node.path}` });
    sbom.addDependency(service, sbom.addModel(this.plan.model), sbom.addImage(this.plan.image),
      ...(props.modelLoader ? [sbom.addImage(props.modelLoader)] : []));

    if (platform) {
      const namespace = Chart.of(this).namespace ?? platform.namespace;
      addCanaryToCatalog(platform.catalog, platform.owner, this.plan, { path: this.node.path, name: this.name, location: `${namespace}/${this.name}`, engine: 'kubernetes' });
      platform.dashboard.addRow(canaryDashboardRow(`Endpoint ${this.name}`, this.plan, {
        prometheus: { namespace, service: this.name, requestsTotal: metrics.requestsTotal, requestDurationBucket: metrics.requestDurationBucket },
      }));
      PlatformServices.labelMembers(this, { kind: 'CanaryEndpoint', model: this.plan.model.name });
    }
  }

  private createService(id: string, name: string, labels: Record<string, string>, selector: Record<string, string>): kplus.Service {
    const service = new kplus.Service(this, id, {
      metadata: { name, labels },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: this.plan.port, protocol: kplus.Protocol.TCP }],
    });
    for (const [key, value] of Object.entries(selector)) {
      service.selectLabel(key, value);
    }
    return service;
  }

  /**
   * The pod template, built by cdk8s-plus in a detached chart so that it gets exactly the hardening every
   * other workload of this library gets, then pinned to the residency policy of this construct's app.
   */
  private podTemplate(props: CanaryEndpointProps, labels: Record<string, string>, selector: Record<string, string>): Record<string, any> {
    const detached = new Chart(new App({ outdir: 'unused' }), 'pod-template');
    const modelVolume = kplus.Volume.fromEmptyDir(detached, 'ModelVolume', 'model');
    const tmpVolume = kplus.Volume.fromEmptyDir(detached, 'TmpVolume', 'tmp');
    const env = {
      ...this.plan.environment,
      MODEL_URI: this.plan.model.uri,
      MODEL_NAME: this.plan.model.name,
      ...(this.plan.model.version ? { MODEL_VERSION: this.plan.model.version } : {}),
      MODEL_DIR,
    };
    const server = hardenedContainer({ scope: this, imageProp: 'image', image: this.plan.image, name: 'server', port: this.plan.port, env, ...props.resources });
    const loaders = props.modelLoader ? [{
      ...hardenedContainer({ scope: this, imageProp: 'modelLoader', image: props.modelLoader, name: 'model-loader', args: [this.plan.model.uri, MODEL_DIR], env, cpuMillis: 250, cpuLimitMillis: 500, memoryMebibytes: 512 }),
      volumeMounts: [{ path: MODEL_DIR, volume: modelVolume }, { path: '/tmp', volume: tmpVolume }],
    }] : [];
    const pod = new kplus.Pod(detached, 'Template', {
      ...hardenedPodProps(),
      // The NetworkPolicy is this construct's own, in the real chart.
      isolate: false,
      metadata: { labels },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(detached, 'ServiceAccount', this.name),
      initContainers: loaders,
      containers: [{
        ...server,
        ports: [{ name: 'http', number: this.plan.port }],
        portNumber: undefined,
        volumeMounts: [{ path: MODEL_DIR, volume: modelVolume, readOnly: loaders.length > 0 }, { path: '/tmp', volume: tmpVolume }],
        // SageMaker's serving contract: /ping answers 200 once the model is loaded. Up to startupTimeoutSeconds to
        // load before the first liveness check, so a large model is not restarted while it loads.
        startup: kplus.Probe.fromHttpGet('/ping', {
          port: this.plan.port,
          failureThreshold: this.timing.startupProbe.failureThreshold,
          periodSeconds: Duration.seconds(this.timing.startupProbe.periodSeconds),
        }),
        readiness: kplus.Probe.fromHttpGet('/ping', { port: this.plan.port }),
        liveness: kplus.Probe.fromHttpGet('/ping', { port: this.plan.port }),
      }],
    });
    const json = ApiObject.of(pod).toJson();
    const affinity = residencyAffinity(this);
    return {
      metadata: { labels },
      spec: {
        ...json.spec,
        ...(affinity ? { affinity } : {}),
        // Preferred, not required: a required spread leaves replicas beyond the zone count unschedulable.
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }],
      },
    };
  }

  private trafficRouting(routing: CanaryTrafficRouting | undefined): Record<string, any> | undefined {
    if (routing?.nginxStableIngress) {
      return { nginx: { stableIngress: routing.nginxStableIngress } };
    }
    if (routing?.istioVirtualService) {
      return { istio: { virtualService: { name: routing.istioVirtualService } } };
    }
    return undefined;
  }

  private validate(props: CanaryEndpointProps): void {
    const fail = propFailure(this);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(this.name) || this.name.length > 56) {
      fail('name', this.name, 'a DNS label of lowercase letters, digits and "-", at most 56 characters (Services add "-stable" and "-canary")', 'rename, e.g. "fraud"');
    }
    if (this.plan.shadow) {
      fail('shadow', this.plan.shadow.model.uri, 'no shadow variant on Kubernetes: copying requests needs mesh mirroring, which this construct does not configure',
        'remove shadow, or run the shadow comparison on the AWS flavor');
    }
    if (props.prometheusAddress !== undefined && !/^https?:\/\/[^\s/]+(:\d+)?(\/\S*)?$/.test(props.prometheusAddress)) {
      fail('prometheusAddress', props.prometheusAddress, 'an http:// or https:// URL', `use e.g. "${KUBE_PROMETHEUS_STACK.address}"`);
    }
    if (props.trafficRouting?.nginxStableIngress && props.trafficRouting?.istioVirtualService) {
      fail('trafficRouting', props.trafficRouting, 'one of nginxStableIngress or istioVirtualService', 'keep the one your cluster routes through');
    }
    if (props.serverMetrics?.path !== undefined && !props.serverMetrics.path.startsWith('/')) {
      fail('serverMetrics.path', props.serverMetrics.path, 'an absolute HTTP path', 'use e.g. "/metrics"');
    }
  }
}
