import type { IConstruct } from 'constructs';
import { isUnresolved, propFailure } from '../core';

/** The limits of one SageMaker container's settings. */
export interface ContainerLimits {
  /** Where the numbers come from. */
  readonly source: string;
  readonly maxEnvironmentEntries: number;
  readonly maxKeyLength: number;
  readonly maxValueLength: number;
  /**
   * The most bytes of all keys and values together.
   * @default - no documented total
   */
  readonly maxEnvironmentBytes?: number;
  /**
   * The longest image URI.
   * @default - no documented limit
   */
  readonly maxImageLength?: number;
  /**
   * The longest model artifact URI.
   * @default - no model artifact
   */
  readonly maxModelUriLength?: number;
}

/** What SageMaker takes in a model's, a transform job's and a processing job's container, as data. */
export const SAGEMAKER_CONTAINER_LIMITS = {
  /**
   * SageMaker API Reference, ContainerDefinition (CreateModel): Environment at most 100 entries, keys and values
   * at most 1,024 each and 32 KB in all; Image at most 255; ModelDataUrl at most 1,024.
   */
  createModel: {
    source: 'SageMaker CreateModel, ContainerDefinition',
    maxEnvironmentEntries: 100,
    maxKeyLength: 1024,
    maxValueLength: 1024,
    maxEnvironmentBytes: 32 * 1024,
    maxImageLength: 255,
    maxModelUriLength: 1024,
  },
  /** SageMaker API Reference, CreateTransformJob: Environment at most 16 entries, keys 1,024, values 10,240. */
  createTransformJob: { source: 'SageMaker CreateTransformJob, Environment', maxEnvironmentEntries: 16, maxKeyLength: 1024, maxValueLength: 10240 },
  /** SageMaker API Reference, CreateProcessingJob: Environment at most 100 entries, keys and values at most 256; AppSpecification ImageUri at most 255. */
  createProcessingJob: {
    source: 'SageMaker CreateProcessingJob, Environment', maxEnvironmentEntries: 100, maxKeyLength: 256, maxValueLength: 256, maxImageLength: 255,
  },
} as const satisfies Record<string, ContainerLimits>;

/** What a SageMaker container is given, and which props gave it. */
export interface ContainerSettings {
  readonly environment: Record<string, string>;
  /** The prop that gave the environment (e.g. `environment`); variables the construct sets are named by `derivedFrom`. */
  readonly environmentProp: string;
  /** Variables the construct sets, with the prop each comes from (e.g. `MODEL_NAME` from `model`). */
  readonly derivedFrom?: Record<string, string>;
  readonly image?: string;
  readonly imageProp?: string;
  readonly modelUri?: string;
  readonly modelProp?: string;
}

/** Throws an `MlPlatformError` naming the prop at fault when a container's settings break the service's limits. */
export function checkContainerLimits(scope: IConstruct, settings: ContainerSettings, limits: ContainerLimits): void {
  const fail = propFailure(scope);
  const propOf = (name: string) => settings.derivedFrom?.[name] ?? `${settings.environmentProp}.${name}`;
  const entries = Object.entries(settings.environment);
  if (entries.length > limits.maxEnvironmentEntries) {
    const own = entries.filter(([name]) => settings.derivedFrom?.[name] === undefined).length;
    const set = entries.length - own;
    fail(settings.environmentProp, `${own} variables`,
      `at most ${limits.maxEnvironmentEntries - set} variables besides the ${set} the construct sets (${limits.source}: at most ${limits.maxEnvironmentEntries})`,
      'combine settings into fewer variables');
  }
  let bytes = 0;
  for (const [name, value] of entries) {
    if (isUnresolved(value)) {
      continue;
    }
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (name.length > limits.maxKeyLength) {
      fail(propOf(name), name, `a variable name of at most ${limits.maxKeyLength} characters (${limits.source})`, 'shorten the name');
    }
    if (value.length > limits.maxValueLength) {
      fail(propOf(name), value, `a value of at most ${limits.maxValueLength} characters, ${value.length} given (${limits.source})`, 'shorten the value');
    }
  }
  if (limits.maxEnvironmentBytes !== undefined && bytes > limits.maxEnvironmentBytes) {
    fail(settings.environmentProp, `${bytes} bytes`, `at most ${limits.maxEnvironmentBytes} bytes of names and values in all (${limits.source})`,
      'shorten the values');
  }
  const tooLong = (text: string | undefined, max: number | undefined): text is string =>
    text !== undefined && max !== undefined && !isUnresolved(text) && text.length > max;
  if (tooLong(settings.image, limits.maxImageLength)) {
    fail(settings.imageProp ?? 'image', settings.image, `an image URI of at most ${limits.maxImageLength} characters (${limits.source})`, 'use a shorter repository name');
  }
  if (tooLong(settings.modelUri, limits.maxModelUriLength)) {
    fail(settings.modelProp ?? 'model', settings.modelUri, `a model URI of at most ${limits.maxModelUriLength} characters (${limits.source})`, 'use a shorter key');
  }
}
