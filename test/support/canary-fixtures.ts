import { ContainerImage, ModelArtifact } from '../../lib/core';

/** The fraud model the CanaryEndpoint tests serve. */
export const MODEL = ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0' });
/** A challenger model, e.g. for a shadow variant. */
export const CHALLENGER = ModelArtifact.fromUri('s3://models-eu/fraud/2.0.0/model.tar.gz', { version: '2.0.0' });
/** The serving image, pinned by digest in ECR. */
export const IMAGE = ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-server@sha256:${'a'.repeat(64)}`);

/** Runs `build` and returns the `MlPlatformError` it throws (fails the test if it throws nothing). */
export function thrownBy(build: () => unknown): Error & { prop?: string } {
  try {
    build();
  } catch (error) {
    return error as Error & { prop?: string };
  }
  throw new Error('expected an MlPlatformError, nothing was thrown');
}
