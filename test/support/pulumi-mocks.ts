import * as pulumi from '@pulumi/pulumi';

/** A resource the Pulumi mocks saw registered. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

/**
 * Installs Pulumi's mocks for this test file (no engine, no CLI) and returns the list every registered resource
 * is appended to, in order.
 */
export function recordRegistrations(): Registered[] {
  const registered: Registered[] = [];
  void pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'ml-platform', 'test', false);
  return registered;
}

/** The value of an output, once known. */
export function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
