/**
 * Disarming, with its failures told rather than dropped. A MODIFY that fails stops at the first child it
 * cannot change (no rollback), so some threads may keep the old watch: their traps carry the old generation
 * and are resumed silently, but the user should know. A thread that is gone (ESRCH) is no failure.
 */
import { NativeError, ThreadFailure } from '../native/addon';

export interface Disarmable {
  disarm(slot: number): ThreadFailure[] | NativeError;
}

/** Disarms `slots`; returns a sentence naming what failed, or undefined when every disarm went through. */
export function disarmSlots(engine: Disarmable, slots: readonly number[], what: string): string | undefined {
  const failures: string[] = [];
  for (const slot of slots) {
    const result = engine.disarm(slot);
    const list = Array.isArray(result) ? result.filter((f) => f.code !== 'ESRCH') : [result];
    failures.push(...list.map((f) => `${'tid' in f ? `tid ${f.tid}: ` : ''}${f.message}`));
  }
  return failures.length === 0
    ? undefined
    : `disarming ${what} failed (${failures.slice(0, 3).join('; ')}${failures.length > 3 ? `; ${failures.length - 3} more` : ''}): threads that kept it trap into pwatch, which resumes them silently`;
}
