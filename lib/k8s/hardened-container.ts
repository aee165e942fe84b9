import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import { type ContainerImage, MlPlatformError } from '../core';

/** CPU and memory for one container. Requests and limits are always both set. */
export interface ContainerSize {
  /**
   * CPU request in millicores.
   * @default 500
   */
  readonly cpuMillis?: number;
  /**
   * CPU limit in millicores.
   * @default 1000 - twice the request, so a model server can burst while it loads
   */
  readonly cpuLimitMillis?: number;
  /**
   * Memory request and limit in MiB (equal: a container over its request is the first one evicted).
   * @default 1024
   */
  readonly memoryMebibytes?: number;
}

/** Options for `hardenedContainer`. */
export interface HardenedContainerOptions extends ContainerSize {
  /** The construct the container belongs to, for error messages. */
  readonly scope: IConstruct;
  /** The prop that gave the image, for error messages (e.g. `image`). */
  readonly imageProp: string;
  /** The image; must be pinned by digest or carry a reason for its mutable tag. */
  readonly image: ContainerImage;
  /**
   * The container's name.
   * @default "main"
   */
  readonly name?: string;
  /**
   * The container's port.
   * @default - none
   */
  readonly port?: number;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
}

/** Default container size: a small CPU model server; constructs override with their own sizing. */
export const DEFAULT_CONTAINER_SIZE: Required<ContainerSize> = { cpuMillis: 500, cpuLimitMillis: 1000, memoryMebibytes: 1024 };

// A non-root UID and GID above the range distributions give system users (< 10000), as cdk8s-plus does.
const RUN_AS_USER = 65532;

/**
 * cdk8s-plus container props that meet Pod Security Standards `restricted`: non-root, read-only root
 * filesystem, no privilege escalation, every capability dropped, seccomp `RuntimeDefault` (the last two
 * are not cdk8s-plus-28 defaults), with CPU and memory requests and limits.
 */
export function hardenedContainer(options: HardenedContainerOptions): kplus.ContainerProps {
  options.image.assertPinned(options.scope, options.imageProp);
  const size = { ...DEFAULT_CONTAINER_SIZE, ...withoutUndefined(options) };
  validateSize(options.scope, size);
  return {
    name: options.name ?? 'main',
    image: options.image.reference,
    portNumber: options.port,
    args: options.args,
    command: options.command,
    envVariables: Object.fromEntries(Object.entries(options.env ?? {}).map(([key, value]) => [key, kplus.EnvValue.fromValue(value)])),
    resources: {
      cpu: { request: kplus.Cpu.millis(size.cpuMillis), limit: kplus.Cpu.millis(size.cpuLimitMillis) },
      memory: { request: Size.mebibytes(size.memoryMebibytes), limit: Size.mebibytes(size.memoryMebibytes) },
    },
    securityContext: {
      ensureNonRoot: true,
      user: RUN_AS_USER,
      group: RUN_AS_USER,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: [kplus.Capability.ALL] },
      seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    },
  };
}

function withoutUndefined(size: ContainerSize): ContainerSize {
  return Object.fromEntries(Object.entries({
    cpuMillis: size.cpuMillis, cpuLimitMillis: size.cpuLimitMillis, memoryMebibytes: size.memoryMebibytes,
  }).filter(([, value]) => value !== undefined));
}

function validateSize(scope: IConstruct, size: Required<ContainerSize>): void {
  for (const prop of ['cpuMillis', 'cpuLimitMillis', 'memoryMebibytes'] as const) {
    if (!Number.isInteger(size[prop]) || size[prop] < 1) {
      throw new MlPlatformError({ scope, prop, value: size[prop], allowed: 'a whole number of at least 1', fix: `set ${prop} to e.g. ${DEFAULT_CONTAINER_SIZE[prop]}` });
    }
  }
  if (size.cpuLimitMillis < size.cpuMillis) {
    throw new MlPlatformError({
      scope,
      prop: 'cpuLimitMillis',
      value: size.cpuLimitMillis,
      allowed: `at least the CPU request (${size.cpuMillis})`,
      fix: 'raise cpuLimitMillis or lower cpuMillis',
    });
  }
}
