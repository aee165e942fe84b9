import { Enums, Models, Serialize, Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { ContainerImage } from './container-image';
import { MlPlatformError } from './errors';
import { LIBRARY_NAME, libraryVersion } from './library-info';
import type { ModelArtifact } from './model-artifact';

/** The file name of the bill of materials beside a cdk8s output and, prefixed with the stack, a CDK template. */
export const SBOM_FILE_SUFFIX = 'sbom.cdx.json';

/** Property names this library writes into the SBOM (CycloneDX property taxonomy: a namespace prefix). */
export const SBOM_PROPERTY = {
  mutableTagReason: 'ml-platform:image:mutable-tag-reason',
  framework: 'ml-platform:model:framework',
  modelUri: 'ml-platform:model:uri',
  datasetUri: 'ml-platform:dataset:uri',
  residency: 'ml-platform:residency',
} as const;

/** A dataset a construct reads or writes. */
export interface SbomDatasetOptions {
  /** The dataset's name, e.g. `fraud-scores`. */
  readonly name: string;
  /**
   * Where it lives, e.g. `s3://bucket/prefix/`, when known at synthesis.
   * @default - not recorded (e.g. a bucket whose name is only known after deployment)
   */
  readonly uri?: string;
  /**
   * What it is.
   * @default - no description
   */
  readonly description?: string;
}

/** A service a construct runs, e.g. a model endpoint. */
export interface SbomServiceOptions {
  /** The service's name. */
  readonly name: string;
  /**
   * What it is.
   * @default - no description
   */
  readonly description?: string;
}

/** What the bill of materials describes. */
export interface SbomSubject {
  /** The name of what was synthesized: a stack or a chart app. */
  readonly name: string;
  /**
   * The residency policy in force, recorded as a property.
   * @default - none recorded
   */
  readonly residency?: string;
}

/**
 * A CycloneDX 1.6 bill of materials for one synthesis output, built with `@cyclonedx/cyclonedx-library`.
 *
 * Constructs register the models (`machine-learning-model`), images (`container`, `pkg:oci` purls with the
 * digest), datasets (`data`) and services they use, and the dependencies between them; this library lists itself.
 * Registering the same thing twice returns the same reference.
 */
export class SbomDocument {
  /** Validates a serialized SBOM with CycloneDX's strict JSON schema for spec 1.6; resolves to the errors, or `null`. */
  public static async validate(json: string): Promise<unknown> {
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    return validator.validate(json);
  }

  private readonly bom = new Models.Bom();
  private readonly byRef = new Map<string, Models.Component | Models.Service>();
  private readonly library: Models.Component;

  public constructor(subject: SbomSubject) {
    const root = new Models.Component(Enums.ComponentType.Application, subject.name, { bomRef: `subject:${subject.name}` });
    if (subject.residency) {
      root.properties.add(new Models.Property(SBOM_PROPERTY.residency, subject.residency));
    }
    this.bom.metadata.component = root;
    this.bom.metadata.tools.components.add(this.libraryComponent());
    this.library = this.libraryComponent();
    this.add(this.library);
    root.dependencies.add(this.library.bomRef);
  }

  /**
   * Records a residency policy in force, when it is learned after the document was started (a policy read at
   * synthesis); each policy is recorded once.
   */
  public recordResidency(name: string): void {
    const root = this.bom.metadata.component!;
    const known = [...root.properties].some((property) => property.name === SBOM_PROPERTY.residency && property.value === name);
    if (!known) {
      root.properties.add(new Models.Property(SBOM_PROPERTY.residency, name));
    }
  }

  /** Registers a model; returns its `bom-ref`. */
  public addModel(model: ModelArtifact): string {
    const ref = `model:${model.name}${model.version ? `@${model.version}` : ''}:${model.uri}`;
    return this.addOnce(ref, () => {
      const component = new Models.Component(Enums.ComponentType.MachineLearningModel, model.name, {
        bomRef: ref,
        version: model.version,
      });
      component.externalReferences.add(new Models.ExternalReference(model.uri, Enums.ExternalReferenceType.Distribution));
      component.properties.add(new Models.Property(SBOM_PROPERTY.modelUri, model.uri));
      if (model.framework) {
        component.properties.add(new Models.Property(SBOM_PROPERTY.framework, model.framework));
      }
      if (model.sha256) {
        component.hashes.set(Enums.HashAlgorithm['SHA-256'], model.sha256);
      }
      return component;
    });
  }

  /** Registers a container image with a `pkg:oci` purl; a mutable tag is recorded with its reason. */
  public addImage(image: ContainerImage): string {
    const ref = `image:${image.reference}`;
    return this.addOnce(ref, () => {
      const qualifiers: Record<string, string> = { repository_url: `${image.registry}/${image.repository}` };
      if (image.tag) {
        qualifiers.tag = image.tag;
      }
      const purl = new PackageURL('oci', undefined, image.name, image.digest, qualifiers, undefined);
      const component = new Models.Component(Enums.ComponentType.Container, image.name, {
        bomRef: ref,
        version: image.digest ?? image.tag,
        purl: purl.toString(),
      });
      if (image.digest) {
        component.hashes.set(Enums.HashAlgorithm['SHA-256'], image.digest.replace(/^sha256:/, ''));
      }
      if (image.mutableTagReason !== undefined) {
        component.properties.add(new Models.Property(SBOM_PROPERTY.mutableTagReason, image.mutableTagReason));
      }
      return component;
    });
  }

  /** Registers a dataset (`data` component). */
  public addDataset(dataset: SbomDatasetOptions): string {
    const ref = `data:${dataset.name}${dataset.uri ? `:${dataset.uri}` : ''}`;
    return this.addOnce(ref, () => {
      const component = new Models.Component(Enums.ComponentType.Data, dataset.name, {
        bomRef: ref,
        description: dataset.description,
      });
      if (dataset.uri) {
        component.properties.add(new Models.Property(SBOM_PROPERTY.datasetUri, dataset.uri));
      }
      return component;
    });
  }

  /** Registers a service; the root of the document depends on it. */
  public addService(service: SbomServiceOptions): string {
    const ref = `service:${service.name}`;
    return this.addOnce(ref, () => {
      return new Models.Service(service.name, { bomRef: ref, description: service.description });
    });
  }

  /** Records that `dependent` uses each of `dependencies` (all `bom-ref`s returned by the `add*` methods). */
  public addDependency(dependent: string, ...dependencies: string[]): void {
    const from = this.lookup(dependent);
    for (const dependency of dependencies) {
      from.dependencies.add(this.lookup(dependency).bomRef);
    }
  }

  /** The `bom-ref`s registered so far. */
  public get refs(): string[] {
    return [...this.byRef.keys()];
  }

  /** The document as CycloneDX 1.6 JSON, with lists sorted so the output is stable. */
  public toJson(): string {
    const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
    return serializer.serialize(this.bom, { sortLists: true, space: 2 }) + '\n';
  }

  private addOnce(ref: string, create: () => Models.Component | Models.Service): string {
    if (!this.byRef.has(ref)) {
      this.add(create());
    }
    return ref;
  }

  private add(entry: Models.Component | Models.Service): void {
    const ref = entry.bomRef.value!;
    this.byRef.set(ref, entry);
    if (entry instanceof Models.Service) {
      this.bom.services.add(entry);
    } else {
      this.bom.components.add(entry);
    }
    if (entry !== this.library) {
      this.bom.metadata.component!.dependencies.add(entry.bomRef);
    }
  }

  private lookup(ref: string): Models.Component | Models.Service {
    const entry = this.byRef.get(ref);
    if (!entry) {
      throw new MlPlatformError({
        scope: 'SbomDocument.addDependency',
        prop: 'ref',
        value: ref,
        allowed: `a bom-ref returned by addModel, addImage, addDataset or addService (${this.refs.length} registered)`,
        fix: 'register the component first and pass the reference it returned',
      });
    }
    return entry;
  }

  private libraryComponent(): Models.Component {
    const version = libraryVersion();
    return new Models.Component(Enums.ComponentType.Library, LIBRARY_NAME, {
      bomRef: `library:${LIBRARY_NAME}`,
      version,
      purl: new PackageURL('npm', undefined, LIBRARY_NAME, version, undefined, undefined).toString(),
    });
  }
}
