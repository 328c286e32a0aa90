/**
 * Observe mode in the editor: "Observe Process…" (a process picked, attached with 'mode' "observe": data logpoints,
 * no tracer), "Attach Debugger Now" (the session becomes a full one, logpoints kept) and "Detach and Keep Observing"
 * (back). The adapter says which mode a session is in (pwatch/mode); the context key pwatch.observing follows the
 * active session, so the debug toolbar offers the move that applies.
 */
import * as vscode from 'vscode';
import { ModeEventBody } from '../adapter/protocol/pwatchProtocol';
import { pickProcess } from './processPicker';

const OBSERVING = 'pwatch.observing';

export function registerObserve(context: vscode.ExtensionContext): void {
  const modes = new Map<string, ModeEventBody['mode']>();
  const update = () => {
    const session = vscode.debug.activeDebugSession;
    void vscode.commands.executeCommand('setContext', OBSERVING, session?.type === 'pwatch' && modes.get(session.id) === 'observe');
  };
  context.subscriptions.push(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.event === 'pwatch/mode' && event.session.type === 'pwatch') {
        modes.set(event.session.id, (event.body as ModeEventBody).mode);
        update();
      }
    }),
    vscode.debug.onDidChangeActiveDebugSession(update),
    vscode.debug.onDidTerminateDebugSession((session) => {
      modes.delete(session.id);
      update();
    }),
    vscode.commands.registerCommand('pwatch.observeProcess', observeProcess),
    vscode.commands.registerCommand('pwatch.attachDebuggerNow', () => switchMode('pwatch/attachDebugger')),
    vscode.commands.registerCommand('pwatch.detachToObserve', () => switchMode('pwatch/detachDebugger')),
  );
}

async function observeProcess(): Promise<void> {
  const pid = await pickProcess();
  if (pid === undefined) {
    return;
  }
  await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
    type: 'pwatch',
    request: 'attach',
    name: `Observe ${pid}`,
    pid: Number(pid),
    mode: 'observe',
  });
}

async function switchMode(command: 'pwatch/attachDebugger' | 'pwatch/detachDebugger'): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (session?.type !== 'pwatch') {
    void vscode.window.showInformationMessage('pwatch: no pwatch session is active.');
    return;
  }
  try {
    await session.customRequest(command, {});
  } catch (e) {
    void vscode.window.showErrorMessage(`pwatch: ${e instanceof Error ? e.message : String(e)}`);
  }
}
