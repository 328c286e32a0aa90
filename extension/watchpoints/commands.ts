/** Add Data Breakpoint on Expression… / on Address…, Add Data Logpoint…, and Remove for the ones added this way. */
import * as vscode from 'vscode';
import { checkAddress, checkBytes, checkExpression } from '../util/targetInput';
import { Watchpoint } from './model';

type Access = 'write' | 'readWrite' | 'read';

async function pickAccess(): Promise<Access | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Break on Value Change', access: 'write' as const },
      { label: 'Break on Value Access', access: 'readWrite' as const },
      { label: 'Break on Value Read', description: 'emulated: an access that leaves the value unchanged', access: 'read' as const },
    ],
    { placeHolder: 'When should the program stop?' },
  );
  return picked?.access;
}

async function send(args: Record<string, unknown>, command = 'pwatch/addDataBreakpoint', what = 'data breakpoint'): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== 'pwatch') {
    void vscode.window.showErrorMessage('pwatch: start a pwatch debug session first.');
    return;
  }
  try {
    const body = (await session.customRequest(command, args)) as Record<string, { message?: string } | undefined>;
    const result = body.breakpoint ?? body.logpoint;
    void vscode.window.showInformationMessage(`pwatch: ${what} ${result?.message ?? 'armed'}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`pwatch: ${(e as Error).message}`);
  }
}

export async function addOnExpression(): Promise<void> {
  const expression = await vscode.window.showInputBox({ prompt: 'Expression to watch', validateInput: checkExpression });
  const accessType = expression === undefined ? undefined : await pickAccess();
  if (expression !== undefined && accessType) {
    await send({ expression, accessType });
  }
}

export async function addOnAddress(): Promise<void> {
  const address = await vscode.window.showInputBox({ prompt: 'Address to watch (0x…)', validateInput: checkAddress });
  if (address === undefined) {
    return;
  }
  const bytes = await vscode.window.showInputBox({ prompt: 'Bytes to watch', value: '8', validateInput: (text) => checkBytes(text, address) });
  const accessType = bytes === undefined ? undefined : await pickAccess();
  if (bytes !== undefined && accessType) {
    await send({ address: address.trim(), bytes: Number(bytes), accessType });
  }
}

/** A data logpoint on an expression or an address: it logs every access and never stops the program. */
export async function addLogpoint(): Promise<void> {
  const target = await vscode.window.showInputBox({
    prompt: 'Expression or address (0x…) to log accesses of; the program never stops',
    validateInput: checkExpression,
  });
  if (target === undefined) {
    return;
  }
  let where: Record<string, unknown> = { expression: target };
  if (checkAddress(target) === undefined) {
    const bytes = await vscode.window.showInputBox({ prompt: 'Bytes to log', value: '8', validateInput: (text) => checkBytes(text, target) });
    if (bytes === undefined) {
      return;
    }
    where = { address: target.trim(), bytes: Number(bytes) };
  }
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Log Writes', access: 'write' as const },
      { label: 'Log Every Access', description: 'reads and writes', access: 'readWrite' as const },
    ],
    { placeHolder: 'Which accesses should be logged?' },
  );
  if (picked) {
    await send({ ...where, accessType: picked.access }, 'pwatch/addDataLogpoint', 'data logpoint');
  }
}

export async function removeWatchpoint(watchpoint: Pick<Watchpoint, 'id' | 'kind'>): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (session?.type === 'pwatch') {
    const command = watchpoint.kind === 'logpoint' ? 'pwatch/removeDataLogpoint' : 'pwatch/removeDataBreakpoint';
    await session.customRequest(command, { id: watchpoint.id }).then(undefined, (e: Error) => vscode.window.showErrorMessage(`pwatch: ${e.message}`));
  }
}
