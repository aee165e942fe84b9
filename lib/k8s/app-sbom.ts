import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, type AppProps } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { AppArtifacts } from './app-artifacts';
import { Residency, SBOM_FILE_SUFFIX, SbomDocument } from '../core';

const documents = new WeakMap<IConstruct, SbomDocument>();

/** The bill of materials of a cdk8s app: one document for all its charts, written as `sbom.cdx.json`. */
export class AppSbom {
  /** The SBOM of the app that contains `scope`, created on first use. */
  public static of(scope: IConstruct): SbomDocument {
    const root = scope.node.root;
    let document = documents.get(root);
    if (!document) {
      document = new SbomDocument({ name: root.node.id || 'cdk8s-app', residency: Residency.of(root)?.name });
      documents.set(root, document);
    }
    return document;
  }

  /** Writes the app's SBOM into `outdir`; returns the file's path. */
  public static write(app: App): string {
    mkdirSync(app.outdir, { recursive: true });
    const file = join(app.outdir, SBOM_FILE_SUFFIX);
    writeFileSync(file, AppSbom.of(app).toJson());
    return file;
  }

  private constructor() {}
}

/** A cdk8s `App` whose `synth()` also writes `sbom.cdx.json` (and what constructs registered with `AppArtifacts`) beside the manifests. */
export class PlatformApp extends App {
  public constructor(props?: AppProps) {
    super(props);
  }

  public synth(): void {
    super.synth();
    AppSbom.write(this);
    AppArtifacts.write(this);
  }
}
