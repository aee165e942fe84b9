import { definePlatform } from './platform';
import { PlatformApp } from '../../constructs/k8s';

// PlatformApp writes sbom.cdx.json beside the manifests.
const app = new PlatformApp({ outdir: 'dist' });
definePlatform(app);
app.synth();
