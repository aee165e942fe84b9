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

/**
 * Ends the current program as Pulumi does (waits for its registrations, then disconnects) and starts a new one with
 * fresh mocks, returning its list of registrations: what spans one program, such as the check that no two components
 * create the same Kubernetes object, starts afresh. Starting new mocks without ending the program first would send
 * the old program's pending registrations to the new mocks, which do not know its resources.
 */
export async function nextProgram(): Promise<Registered[]> {
  await endProgram();
  return recordRegistrations();
}

/** Ends the current program as Pulumi does: waits for its registrations (a test file's last program, before jest tears down). */
export function endProgram(): Promise<void> {
  return pulumi.runtime.disconnect();
}

/** The value of an output, once known. */
export function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
