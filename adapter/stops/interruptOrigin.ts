/**
 * Whether a SIGINT or SIGSTOP stop is an interrupt of the debugger's own. gdb interrupts an all-stop program by
 * sending its process a SIGINT, and sends it even when a stop overtook the interrupt (measured: `-exec-interrupt`
 * answered after a trap's stop left a SIGINT that stopped the program at its next resume); pwatch's SIGSTOP, sent
 * where that SIGINT would miss gdb (program/sigintReach.ts), can be overtaken the same way. Such a leftover stops
 * nothing anyone asked for, and it is never the program's: delivered, a SIGINT would end a program that does not
 * catch it. The kernel says who sent a signal: a kill() (SI_USER) by the program's tracer (gdb, or a gdbserver of
 * this machine) or by this adapter is the debugger's; Ctrl-C in a terminal (SI_KERNEL) or a kill by anyone else is
 * the program's.
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
    return code === SI_USER && sender > 0 && (sender === process.pid || sender === tracerOf(pid));
  } catch {
    return false; // no siginfo to read: as before, the signal is shown (and the user decides)
  }
}
