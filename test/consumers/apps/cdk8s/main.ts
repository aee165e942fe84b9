import { applyResidency, PlatformApp, Residency } from 'ml-platform-constructs/k8s';
import { ScoringChart } from './scoring-chart';

const app = new PlatformApp({ outdir: 'dist' });
applyResidency(app, Residency.EU);
new ScoringChart(app, 'scoring');
app.synth(); // dist/scoring.k8s.yaml and dist/sbom.cdx.json
