/** The stackTrace request: gdb frames as DAP frames, paged, with source only where the file exists. */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import { FrameRef } from '../gdb/commands/context';
import * as stack from '../gdb/commands/stack';
import { MiSender } from '../gdb/connection';

/** Sources of the system's compilers and libraries, not the user's. */
export function isSystemSource(file: string): boolean {
  return /^\/usr\/(include|lib|local\/include|src\/debug)\//.test(file) || /^\/(lib|lib64)\//.test(file);
}

/** Walking deeper than this is slow and never what a user reads. */
const MAX_STACK_DEPTH = 1000;

export async function stackTrace(
  gdb: MiSender,
  args: DebugProtocol.StackTraceArguments,
  frameId: (frame: FrameRef) => number,
): Promise<DebugProtocol.StackTraceResponse['body']> {
  const start = args.startFrame ?? 0;
  const total = await stack.depth(gdb, args.threadId, MAX_STACK_DEPTH);
  const end = Math.min(total, args.levels ? start + args.levels : total);
  const frames = start < end ? await stack.listFrames(gdb, args.threadId, start, end - 1) : [];
  return {
    totalFrames: total,
    stackFrames: frames.map((f) => {
      const source: DebugProtocol.Source | undefined =
        f.fullname && fs.existsSync(f.fullname) ? { name: path.basename(f.fullname), path: f.fullname } : undefined;
      if (source && isSystemSource(source.path!)) {
        // A library header (vector::at's range check): VS Code then shows the user's frame, not the header.
        source.presentationHint = 'deemphasize';
      }
      return {
        id: frameId({ threadId: args.threadId, level: f.level }),
        name: f.func ?? (f.from ? `?? (${path.basename(f.from)})` : '??'),
        source,
        line: source ? (f.line ?? 0) : 0,
        column: source ? 1 : 0,
        instructionPointerReference: f.addr || undefined,
        presentationHint: source && source.presentationHint !== 'deemphasize' ? 'normal' : 'subtle',
      };
    }),
  };
}
