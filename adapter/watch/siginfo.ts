/**
 * Reads the siginfo of a SIGTRAP stop. gdb's siginfo type has no si_perf fields, but its raw words do
 * (CONTEXT.md): word 1 is si_code, word 2 si_addr, word 3 si_perf_data. A small gdb Python function,
 * defined once per session, returns them in one evaluation. Without Python, si_code and si_addr come
 * from gdb's own type and the breakpoint is found by address alone.
 */
import { FrameRef } from '../gdb/commands/context';
import * as data from '../gdb/commands/data';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';

export const TRAP_PERF = 6;

export interface TrapInfo {
  code: number;
  address: bigint;
  /** si_perf_data: our sig_data, when gdb has Python. */
  perfData?: bigint;
}

// $_pwatch_bytes("hex", "type"): a value of that type made of those bytes, shown by gdb as it shows the type
// (structures, enums, printers), for values that are not in memory (what a racing writer stored, an old value).
const PYTHON_SOURCE = [
  'class PwatchSiginfo(gdb.Function):',
  '    def __init__(self):',
  "        super().__init__('_pwatch_siginfo')",
  '    def invoke(self):',
  "        w = gdb.parse_and_eval('$_siginfo').cast(gdb.lookup_type('unsigned long').array(15))",
  "        return gdb.Value('%d %d %d' % (int(w[1]) & 0xffffffff, int(w[2]), int(w[3])))",
  'PwatchSiginfo()',
  'class PwatchBytes(gdb.Function):',
  '    def __init__(self):',
  "        super().__init__('_pwatch_bytes')",
  '    def invoke(self, data, name):',
  "        t = gdb.parse_and_eval('(%s *) 0' % name.string()).type.target()",
  '        return gdb.Value(bytes.fromhex(data.string()), t)',
  'PwatchBytes()',
].join('\n');

/** Defines $_pwatch_siginfo() and $_pwatch_bytes(); false when this gdb has no Python. The source travels hex-encoded. */
export function installSiginfoReader(gdb: MiSender): Promise<boolean> {
  return exec.runPython(gdb, PYTHON_SOURCE);
}

export async function readTrapInfo(gdb: MiSender, threadId: number, python: boolean): Promise<TrapInfo | undefined> {
  const frame: FrameRef = { threadId, level: 0 };
  try {
    if (python) {
      const text = await data.evaluate(gdb, '$_pwatch_siginfo()', frame);
      const match = /"(\d+) (\d+) (\d+)"/.exec(text);
      if (match) {
        return { code: Number(match[1]), address: BigInt(match[2]), perfData: BigInt(match[3]) };
      }
    }
    const code = Number(await data.evaluate(gdb, '$_siginfo.si_code', frame));
    const address = /0x[0-9a-f]+/i.exec(await data.evaluate(gdb, '$_siginfo._sifields._sigfault.si_addr', frame));
    return { code, address: BigInt(address ? address[0] : 0) };
  } catch {
    return undefined;
  }
}
