/**
 * The evaluate and setExpression requests: what the user typed in the Debug Console, a watch or a hover. A
 * console line is a gdb command (`-exec`), a line for the program's input while it waits for one, or an
 * expression; hovers evaluate only what cannot run the program's code.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { consoleCommand, isInterruptCommand } from './consoleCommands';
import * as exec from '../gdb/commands/exec';
import { FrameRef } from '../gdb/commands/context';
import { GdbRuntime } from '../gdb/runtime';
import { isSafeHoverExpression } from './hover';
import { UserError } from '../launch/userError';
import { waitsForInput } from '../program/inputWait';
import { ProgramTerminal } from '../terminal/programTerminal';
import { checkNesting, rewriteSubscripts } from '../rust/indexing';
import { assignmentTarget } from '../variables/assignment';
import { memoryReferenceOf, splitFormatSuffix } from '../variables/format';
import { VariableStore } from '../variables/variableStore';

export interface EvaluationContext {
  runtime: GdbRuntime;
  variables: VariableStore;
  /** The program's terminal when its input and output are the Debug Console's. */
  terminal: ProgramTerminal | undefined;
  note: (text: string) => void;
  /** The user asked for a pause (gdb's `interrupt` typed in the console): its stop is shown as one. */
  pauseAsked: () => void;
}

function frameOf(variables: VariableStore, frameId: number | undefined): FrameRef | undefined {
  const frame = frameId === undefined ? undefined : variables.frame(frameId);
  if (frameId !== undefined && !frame) {
    throw new UserError('that stack frame is gone: the program has run since');
  }
  return frame;
}

export async function evaluate(c: EvaluationContext, args: DebugProtocol.EvaluateArguments): Promise<DebugProtocol.EvaluateResponse['body']> {
  const { runtime, variables } = c;
  const expression = typeof args.expression === 'string' ? args.expression : '';
  if (args.context === 'repl' && expression.startsWith('-exec ')) {
    const command = consoleCommand(expression.slice('-exec '.length), runtime.isPostMortem);
    if ('refused' in command) {
      throw new UserError(command.refused);
    }
    if (variables.rust) {
      // gdb's own commands take Rust expressions too (print, output, x): the same two would end gdb.
      checkNesting(command.send);
      if (rewriteSubscripts(command.send).arrayLiteral) {
        throw new UserError(`not sent: gdb 13's Rust parser crashes on array literals such as [1, 2] (an internal error that ends gdb)`);
      }
    }
    if (isInterruptCommand(command.send)) {
      c.pauseAsked();
    }
    // gdb's answer arrives as console output events.
    await exec.consoleCommand(runtime.gdb, command.send);
    return { result: '', variablesReference: 0 };
  }
  if (args.context === 'repl' && c.terminal && runtime.pid !== undefined && runtime.isRunning && waitsForInput(runtime.pid)) {
    // The program waits for input and the user typed a line while it runs: it is the program's.
    c.terminal.write(`${expression}\n`);
    c.note(`sent to the program's input: ${expression}`);
    return { result: '', variablesReference: 0 };
  }
  if (args.context === 'hover' && !isSafeHoverExpression(expression)) {
    throw new UserError('not evaluated on hover: only names, member access and constant indexes are (no calls)');
  }
  const frame = frameOf(variables, args.frameId);
  const { expression: plain, format } = splitFormatSuffix(expression);
  const target = assignmentTarget(plain);
  if (target !== undefined) {
    await variables.checkAssignment(target, frame);
  }
  const { object, reference } = await variables.evaluate(plain, frame, format ?? (args.format?.hex ? 'hexadecimal' : undefined));
  const indexedVariables = reference ? variables.elementCount(object) : undefined;
  return { result: object.value, type: object.type, variablesReference: reference, memoryReference: memoryReferenceOf(object), indexedVariables };
}

/** A watch expression's new value (VS Code's "Set Value" on a watch): assigned as setVariable assigns. */
export async function setExpression(c: EvaluationContext, args: DebugProtocol.SetExpressionArguments): Promise<DebugProtocol.SetExpressionResponse['body']> {
  const expression = typeof args.expression === 'string' ? splitFormatSuffix(args.expression).expression : '';
  if (expression.trim() === '' || typeof args.value !== 'string' || args.value.trim() === '') {
    throw new UserError('setExpression needs an expression and a value');
  }
  const frame = frameOf(c.variables, args.frameId);
  const { object, reference } = await c.variables.setExpression(expression, args.value, frame);
  return { value: object.value, type: object.type, variablesReference: reference, memoryReference: memoryReferenceOf(object) };
}
