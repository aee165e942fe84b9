import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { attachCustomSynthesis, Stack } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';
import { Residency, SBOM_FILE_SUFFIX, SbomDocument } from '../core';

/** The construct id of the SBOM holder under each stack. */
const SBOM_ID = 'MlPlatformSbom';

/**
 * The bill of materials of one CDK stack, written at synthesis beside the stack's template as
 * `<artifactId>.sbom.cdx.json` (CycloneDX 1.6 JSON).
 */
export class StackSbom extends Construct {
  /** The SBOM of the stack that contains `scope`, created on first use. */
  public static of(scope: IConstruct): SbomDocument {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(SBOM_ID);
    if (existing instanceof StackSbom) {
      return existing.document;
    }
    return new StackSbom(stack, SBOM_ID).document;
  }

  /** The file name of a stack's SBOM in the cloud assembly. */
  public static fileName(stack: Stack): string {
    return `${stack.artifactId}.${SBOM_FILE_SUFFIX}`;
  }

  /** The document constructs add to. */
  public readonly document: SbomDocument;

  private constructor(stack: Stack, id: string) {
    super(stack, id);
    this.document = new SbomDocument({ name: stack.stackName, residency: Residency.of(stack)?.name });
    attachCustomSynthesis(this, {
      onSynthesize: (session) => {
        mkdirSync(session.outdir, { recursive: true });
        writeFileSync(join(session.outdir, StackSbom.fileName(stack)), this.document.toJson());
      },
    });
  }
}
