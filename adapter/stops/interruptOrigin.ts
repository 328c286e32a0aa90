/**
 * Whether a SIGINT stop is gdb's own interrupt. gdb interrupts an all-stop program by sending its process a
 * SIGINT, and sends it even when a stop overtook the interrupt, or when the program already stands still (measured:
 * `-exec-interrupt` answered after a breakpoint's stop, and `interrupt` typed at a stopped program, both left a
 * SIGINT that stopped the program at its next resume). Such a leftover stops nothing anyone asked for, and it is
 * never the program's: delivered, it would end a program that does not catch SIGINT. The kernel says who sent a
 * signal: a kill() by the tracer (SI_USER from gdb, or from a gdbserver of this machine) is the debugger's; Ctrl-C
 * in a terminal (SI_KERNEL) or a kill by anyone else is the program's.
 */
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { tracerOf } from '../program/localProcess';

/** si_code of a signal sent by kill(). */
const SI_USER = 0;

export async function isDebuggerInterrupt(gdb: MiSender, threadId: number, pid: number): Promise<boolean> {
  const frame = { threadId, level: 0 };
  try {
    const code = Number(await data.evaluate(gdb, '$_siginfo.si_code', frame));
    const sender = Number(await data.evaluate(gdb, '$_siginfo._sifields._kill.si_pid', frame));
    return code === SI_USER && sender > 0 && sender === tracerOf(pid);
  } catch {
    return false; // no siginfo to read: as before, the SIGINT is shown (and the user decides)
  }
}
