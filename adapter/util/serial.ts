/**
 * Runs async work one piece at a time, in the order it was asked for: for state that several stops (non-stop
 * mode reports many at once) and requests would otherwise change while each awaits gdb.
 */
export class Serial {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.last.then(work, work);
    this.last = next.catch(() => undefined);
    return next;
  }
}
