import type { IConstruct } from 'constructs';

const registered = new WeakMap<IConstruct, unknown>();

/**
 * Where a platform construct records itself so that the constructs created below it find it without importing it
 * (product constructs and the platform live in different folders; the lookup lives here, below both).
 * Each engine wraps it with its own typed `PlatformServices.of`.
 */
export const platformLookup = {
  /** Records `services` as the platform of `scope` and everything below it. */
  register<T>(scope: IConstruct, services: T): void {
    registered.set(scope, services);
  },
  /** The nearest platform at or above `scope`, if any. */
  find<T>(scope: IConstruct): T | undefined {
    const lineage = scope.node.scopes;
    for (let i = lineage.length - 1; i >= 0; i--) {
      const services = registered.get(lineage[i]);
      if (services !== undefined) {
        return services as T;
      }
    }
    return undefined;
  },
};
