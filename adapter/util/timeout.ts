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

/** Asks `probe` every `everyMs` until it answers (not undefined) or `withinMs` passed; the last answer either way. */
export async function poll<T>(probe: () => T | undefined, withinMs: number, everyMs = 10): Promise<T | undefined> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const answer = probe();
    if (answer !== undefined || Date.now() >= deadline) {
      return answer;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
