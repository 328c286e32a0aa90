/** Bounds a wait: shutdown paths must never hang on a gdb that stopped answering. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve function, for "wait until configurationDone" style hand-offs. */
export class Signal {
  readonly promise: Promise<void>;
  private resolveFn: () => void = () => undefined;

  constructor() {
    this.promise = new Promise((resolve) => (this.resolveFn = resolve));
  }

  resolve(): void {
    this.resolveFn();
  }
}
