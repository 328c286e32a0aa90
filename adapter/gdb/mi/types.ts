/** The shapes of GDB/MI output records (GDB manual, "GDB/MI Output Syntax"). */

/** A value: a c-string constant, a tuple, or a list. */
export type MiValue = string | MiTuple | MiValue[];

/**
 * A tuple `{a="1",b="2"}`. A key that repeats inside one tuple (gdb does this, e.g.
 * `thread-ids={thread-id="1",thread-id="2"}`) collects its values into an array in order.
 */
export interface MiTuple {
  [key: string]: MiValue;
}

export type MiResultClass = 'done' | 'running' | 'connected' | 'error' | 'exit';

export interface MiResultRecord {
  kind: 'result';
  token?: number;
  resultClass: MiResultClass;
  results: MiTuple;
}

/** `*` exec (running/stopped), `+` status (progress), `=` notify (threads, breakpoints, libraries). */
export interface MiAsyncRecord {
  kind: 'exec' | 'status' | 'notify';
  token?: number;
  asyncClass: string;
  results: MiTuple;
}

/** `~` console (gdb's CLI output), `@` target (remote program output), `&` log (gdb's own messages). */
export interface MiStreamRecord {
  kind: 'console' | 'target' | 'log';
  text: string;
}

/** The `(gdb)` prompt that ends each output batch. */
export interface MiPromptRecord {
  kind: 'prompt';
}

/** A line that is not MI: kept, never thrown away silently. */
export interface MiUnknownLine {
  kind: 'unknown';
  line: string;
}

export type MiRecord = MiResultRecord | MiAsyncRecord | MiStreamRecord | MiPromptRecord | MiUnknownLine;

/** Anything that sends one MI command and answers its results (the gdb connection; fakes in tests). */
export interface MiSender {
  send(command: string): Promise<MiTuple>;
}
