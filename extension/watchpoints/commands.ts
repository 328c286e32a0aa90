/** Add Data Breakpoint on Expression… / on Address…, and Remove for the ones added this way. */
import * as vscode from 'vscode';
import { checkAddress, checkBytes, checkExpression } from './input';

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

async function send(args: Record<string, unknown>): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== 'pwatch') {
    void vscode.window.showErrorMessage('pwatch: start a pwatch debug session first.');
    return;
  }
  try {
    const body = (await session.customRequest('pwatch/addDataBreakpoint', args)) as { breakpoint?: { message?: string } };
    void vscode.window.showInformationMessage(`pwatch: data breakpoint ${body.breakpoint?.message ?? 'armed'}`);
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

export async function removeWatchpoint(id: number): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (session?.type === 'pwatch') {
    await session.customRequest('pwatch/removeDataBreakpoint', { id }).then(undefined, (e: Error) => vscode.window.showErrorMessage(`pwatch: ${e.message}`));
  }
}
