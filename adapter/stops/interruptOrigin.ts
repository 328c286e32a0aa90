/**
 * Whether a SIGINT or SIGSTOP stop is an interrupt of the debugger's own. pwatch pauses with a SIGSTOP to the process
 * (GdbRuntime.interrupt), gdb's interrupt is a SIGINT to it, and gdb stops the other threads at a stop with a SIGSTOP
 * to each. Any of them can be overtaken by another stop and arrive after the next resume (measured: `-exec-interrupt`
 * answered after a trap's stop left a SIGINT that stopped the program later; pwatch's SIGSTOP taken by gdb for the
 * one it had just sent a thread left gdb's own to come later). Such a leftover stops nothing anyone asked for, and it
 * is never the program's: delivered, a SIGINT would end a program that does not catch it. The kernel says who sent
 * a signal: a kill() or tkill() (SI_USER, SI_TKILL) by the program's tracer (gdb, or a gdbserver of this machine) or
 * by this adapter is the debugger's; Ctrl-C in a terminal (SI_KERNEL) or a signal from anyone else is the
 * program's.
 */
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { tracerOf } from '../program/localProcess';

/** si_code of a signal sent by kill(), and by tkill()/tgkill(). */
const SI_USER = 0;
const SI_TKILL = -6;

export async function isDebuggerInterrupt(gdb: MiSender, threadId: number, pid: number): Promise<boolean> {
  const frame = { threadId, level: 0 };
  try {
    const code = Number(await data.evaluate(gdb, '$_siginfo.si_code', frame));
    const sender = Number(await data.evaluate(gdb, '$_siginfo._sifields._kill.si_pid', frame));
    return (code === SI_USER || code === SI_TKILL) && sender > 0 && (sender === process.pid || sender === tracerOf(pid));
  } catch {
    return false; // no siginfo to read: as before, the signal is shown (and the user decides)
  }
}
