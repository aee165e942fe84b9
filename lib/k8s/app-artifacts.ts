import type { App } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** Writes one or more files into a cdk8s app's output directory. */
export type AppArtifactWriter = (outdir: string) => void;

const writers = new WeakMap<IConstruct, AppArtifactWriter[]>();

/**
 * Files constructs write beside a cdk8s app's manifests (a platform's catalog and diagram): `PlatformApp.synth()`
 * runs every writer registered in its app after writing the manifests and the SBOM.
 */
export const AppArtifacts = {
  /** Registers `writer` with the app that contains `scope`. */
  add(scope: IConstruct, writer: AppArtifactWriter): void {
    const root = scope.node.root;
    writers.set(root, [...(writers.get(root) ?? []), writer]);
  },
  /** Runs the app's writers. */
  write(app: App): void {
    for (const writer of writers.get(app) ?? []) {
      writer(app.outdir);
    }
  },
};
