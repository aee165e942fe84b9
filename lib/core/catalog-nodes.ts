import type { ContainerImage } from './container-image';
import type { ModelArtifact } from './model-artifact';
import type { PlatformCatalog } from './platform-catalog';

/**
 * Adds a model to a platform's catalog (once, however many constructs run it) and returns its node id,
 * `model:<name>@<version>`.
 */
export function addModelNode(catalog: PlatformCatalog, model: ModelArtifact): string {
  const id = `model:${model.name}@${model.version ?? model.sha256 ?? model.uri}`;
  catalog.addNode({
    id,
    kind: 'model',
    name: model.name,
    version: model.version,
    location: model.uri,
    properties: model.framework ? { framework: model.framework } : undefined,
  });
  return id;
}

/** Adds a container image to a platform's catalog (once) and returns its node id, `image:<reference>`. */
export function addImageNode(catalog: PlatformCatalog, image: ContainerImage): string {
  const id = `image:${image.reference}`;
  catalog.addNode({
    id,
    kind: 'image',
    name: image.repository,
    version: image.digest ?? image.tag,
    location: image.reference,
  });
  return id;
}
