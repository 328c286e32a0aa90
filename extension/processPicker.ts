/** `${command:pickProcess}` for attach: a quick pick of the user's processes, read from /proc. */
import * as fs from 'fs';
import * as vscode from 'vscode';

interface ProcessItem extends vscode.QuickPickItem {
  pid: string;
}

function listProcesses(): ProcessItem[] {
  const self = process.pid;
  const items: ProcessItem[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === self) {
      continue;
    }
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (cmdline.length === 0) {
        continue; // kernel threads
      }
      items.push({ label: cmdline[0].split('/').pop() ?? cmdline[0], description: entry, detail: cmdline.join(' '), pid: entry });
    } catch {
      // The process ended while we listed: skip it.
    }
  }
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

export async function pickProcess(): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(listProcesses(), {
    placeHolder: 'Process to attach pwatch to',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.pid;
}
