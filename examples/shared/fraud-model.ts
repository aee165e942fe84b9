import { ModelArtifact } from '../../constructs/core';

/** The version of the fraud model the examples serve unless told otherwise. */
export const FRAUD_MODEL_VERSION = '1.4.0';

/**
 * The SHA-256 of each fraud model version the training pipeline published (`sha256sum model.tar.gz`, recorded beside
 * the model): edge devices verify the file against it before loading, and the SBOM records it.
 */
export const FRAUD_MODEL_SHA256: Readonly<Record<string, string>> = {
  '1.4.0': '9f2b6c1d4e8a7f3051b2c9d8e7a6f5041c3b2a1908f7e6d5c4b3a29180f7e6d5',
  '1.5.0': '4a7e9c2b1d0f8e6a5c3b2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a',
};

/**
 * The fraud model of a given version, as the training pipeline publishes it, with its SHA-256: from
 * `FRAUD_MODEL_SHA256`, or given for a version the table does not list yet (`-c fraudModelSha256=<digest>`).
 */
export function fraudModel(version: string = FRAUD_MODEL_VERSION, sha256: string | undefined = FRAUD_MODEL_SHA256[version]): ModelArtifact {
  if (sha256 === undefined) {
    throw new Error(`The fraud model ${version} has no SHA-256 in examples/shared/fraud-model.ts: `
      + `add it to FRAUD_MODEL_SHA256, or pass -c fraudModelSha256=<sha256sum of model.tar.gz> with -c fraudModelVersion=${version}`);
  }
  return ModelArtifact.fromUri(`s3://ml-platform-models-eu-west-1/fraud/${version}/model.tar.gz`, { name: 'fraud', version, framework: 'xgboost', sha256 });
}
