import type { IConstruct } from 'constructs';
import type { ContainerImage } from './container-image';
import type { ModelArtifact } from './model-artifact';
import { CORE_KINDS, PropChecks } from './prop-checks';

/** What every construct that runs a model is given. */
export interface ModelInputs {
  readonly model: ModelArtifact;
  readonly image: ContainerImage;
}

/**
 * Checks the `model` and `image` props of a construct that runs a model: both given, of the right kind, and the
 * image pinned by digest (or its mutable tag accepted with a reason). Throws an `MlPlatformError` naming the prop.
 */
export function assertModelInputs(scope: IConstruct, props: ModelInputs): void {
  const checks = new PropChecks(scope);
  checks.object('props', props);
  checks.kind('model', props.model, CORE_KINDS.modelArtifact);
  checks.kind('image', props.image, CORE_KINDS.containerImage);
  props.image.assertPinned(scope, 'image');
}
