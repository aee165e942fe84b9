import type { IConstruct } from 'constructs';
import type { ContainerImage } from './container-image';
import type { ModelArtifact } from './model-artifact';
import { propFailure } from './number-range';

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
  const fail = propFailure(scope);
  if (!props.model || typeof props.model.uri !== 'string') {
    fail('model', props.model, 'a ModelArtifact', 'use ModelArtifact.fromUri("s3://bucket/key/model.tar.gz", { version })');
  }
  if (!props.image || typeof props.image.assertPinned !== 'function') {
    fail('image', props.image, 'a ContainerImage', 'use ContainerImage.fromDigest("<repo>@sha256:<digest>")');
  }
  props.image.assertPinned(scope, 'image');
}
