import { definePlatform } from './platform';
import { PlatformApp } from '../../constructs/k8s';

// PlatformApp writes sbom.cdx.json beside the manifests.
const app = new PlatformApp({ outdir: 'dist' });
// `-c featureStoreLock=update` records reviewed additions in feature-store.lock.json, as `cdk synth -c ...` does on AWS.
const flag = process.argv.indexOf('-c');
if (flag > 0 && process.argv[flag + 1]) {
  const [key, value] = process.argv[flag + 1].split('=');
  app.node.setContext(key, value);
}
definePlatform(app);
app.synth();
