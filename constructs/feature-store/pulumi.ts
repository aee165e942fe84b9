import { FeatureStore as K8sFeatureStore, type FeatureStoreProps } from './k8s';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs, withoutPlacement } from '../../lib/pulumi';

/** Args for the Pulumi `FeatureStore`: the Kubernetes flavor's props, plus where the objects go. */
export interface FeatureStoreArgs extends FeatureStoreProps, KubernetesPlacementArgs {}

/** The store name a component named `name` gets when `storeName` is not given: `fraudFeatures` → `fraud-features`. */
export function storeNameOf(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * The Pulumi flavor of `FeatureStore` (type `ml-platform:features:FeatureStore`): renders the cdk8s construct and
 * registers exactly its objects (the Feast operator's `FeatureStore` and the feature repository's ConfigMap) as children.
 */
export class FeatureStore extends KubernetesComponent {
  /** The resolved store name (the Feast `FeatureStore`'s name). */
  public readonly storeName: string;

  public constructor(name: string, args: FeatureStoreArgs, opts?: KubernetesComponentOptions) {
    let storeName = '';
    super('ml-platform:features:FeatureStore', name, args, (chart) => {
      const props = withoutPlacement(args);
      storeName = new K8sFeatureStore(chart, 'Resource', { ...props, storeName: props.storeName ?? storeNameOf(name) }).plan.storeName;
    }, opts);
    this.storeName = storeName;
    this.finish({ storeName });
  }

  /** @internal */
  protected get objectNameArg(): string {
    return 'storeName';
  }
}
