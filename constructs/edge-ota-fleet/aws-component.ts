// The Greengrass component of an edge fleet: its recipe, generated from the plan, and a version derived from the
// recipe's content, so a changed model never reuses a version (CreateComponentVersion refuses one that exists) and an
// unchanged one keeps its version, creates no new component version and starts no rollout.
import { createHash } from 'crypto';
import type { EdgeOtaFleetPlan } from './plan';

/** What the recipe needs besides the plan. */
export interface ComponentRecipeOptions {
  readonly componentName: string;
  /** The model's S3 location, as the artifact URI. */
  readonly modelUri: string;
  /** Run on the device after the model's checksum matched; a non-zero exit fails the device's update (see HEALTH_CONTRACT). */
  readonly smokeTestCommand: string;
  /** The long-running inference process. */
  readonly runCommand: string;
  /** The inference runtime component the model runs on, pinned to one version. */
  readonly runtime?: { readonly componentName: string; readonly version: string };
}

/**
 * The health contract of the component on each device. Greengrass keeps each version's artifacts under their own
 * directory (`{artifacts:path}` names the version), so the new model is installed beside the old one. The install
 * step checks the model file against its SHA-256 and then runs the smoke inference with `MODEL_PATH` set; the
 * device's update fails when either fails or the step outlasts its timeout, and the deployment's
 * `FailureHandlingPolicy: ROLLBACK` restores the components the device ran before
 * (https://docs.aws.amazon.com/greengrass/v2/developerguide/component-recipe-reference.html, lifecycle Install).
 */
export const HEALTH_CONTRACT = {
  recipeFormatVersion: '2020-01-25',
  // The install step's timeout: a checksum of a large model and one smoke inference on a small CPU.
  installTimeoutSeconds: 900,
} as const;

const MODEL_FILE = 'model.tar.gz';

/** The recipe without its version: the content the version is derived from. */
function recipeBody(plan: EdgeOtaFleetPlan, options: ComponentRecipeOptions): Record<string, unknown> {
  const modelPath = `{artifacts:path}/${MODEL_FILE}`;
  return {
    RecipeFormatVersion: HEALTH_CONTRACT.recipeFormatVersion,
    ComponentName: options.componentName,
    ComponentDescription: `Model ${plan.model.name}${plan.model.version ? ` ${plan.model.version}` : ''}, checked by a smoke inference at install`,
    ComponentPublisher: 'ml-platform-constructs',
    ComponentConfiguration: { DefaultConfiguration: { ModelSha256: plan.modelSha256 } },
    ...(options.runtime ? {
      ComponentDependencies: {
        [options.runtime.componentName]: { VersionRequirement: `=${options.runtime.version}`, DependencyType: 'HARD' },
      },
    } : {}),
    Manifests: [{
      Platform: { os: 'linux' },
      Lifecycle: {
        Setenv: { MODEL_PATH: modelPath, MODEL_SHA256: plan.modelSha256 },
        Install: {
          Script: `echo "${plan.modelSha256}  ${modelPath}" | sha256sum -c - && ${options.smokeTestCommand}`,
          Timeout: HEALTH_CONTRACT.installTimeoutSeconds,
        },
        Run: { Script: options.runCommand },
      },
      Artifacts: [{ Uri: options.modelUri, Unarchive: 'NONE', Permission: { Read: 'OWNER', Execute: 'NONE' } }],
    }],
  };
}

/**
 * The component version: `1.<n>.0`, where n is the first 28 bits of the SHA-256 of the recipe's content. A semantic
 * version, as Greengrass requires; the same content always gives the same version.
 */
export function contentVersion(body: Record<string, unknown>): string {
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return `1.${parseInt(digest.slice(0, 7), 16)}.0`;
}

/** The recipe with its content-derived version. */
export function componentRecipe(plan: EdgeOtaFleetPlan, options: ComponentRecipeOptions): { recipe: Record<string, unknown>; version: string } {
  const body = recipeBody(plan, options);
  const version = contentVersion(body);
  return { recipe: { ...body, ComponentVersion: version }, version };
}
