import { applyResidency, PlatformApp, Residency } from '../../constructs/k8s';
import { PlatformChart } from './platform-chart';

// PlatformApp writes sbom.cdx.json beside the manifests.
const app = new PlatformApp({ outdir: 'dist' });

// Pods are pinned to nodes in EU member-state regions (label topology.kubernetes.io/region).
applyResidency(app, Residency.EU);

new PlatformChart(app, 'ml-platform');

app.synth();
