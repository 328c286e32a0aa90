/**
 * Hunt Races on Expression… / on Address… / in the Whole Program, Stop Race Hunt, Copy Race Report. A hunt is one
 * `pwatch/huntRaces` request answered when it ends; its progress (and cancellation) is the adapter's DAP progress.
 */
import * as vscode from 'vscode';
import type { HuntRacesArgs, PwatchRequests } from '../../adapter/protocol/pwatchProtocol';
import { checkAddress, checkBytes, checkExpression } from '../util/targetInput';
import { RaceModel, tsanReport } from './raceModel';

type HuntResult = PwatchRequests['pwatch/huntRaces']['body'];

/** What the Variables view passes to a context menu command. */
interface VariableContext {
  variable?: { evaluateName?: string; name?: string };
}

function session(): vscode.DebugSession | undefined {
  const active = vscode.debug.activeDebugSession;
  if (!active || active.type !== 'pwatch') {
    void vscode.window.showErrorMessage('pwatch: start a pwatch debug session first.');
    return undefined;
  }
  return active;
}

function settings(): Pick<HuntRacesArgs, 'durationMs' | 'stallMs'> {
  const config = vscode.workspace.getConfiguration('pwatch.raceHunt');
  return { durationMs: Math.round(config.get<number>('durationSeconds', 30) * 1000), stallMs: config.get<number>('stallMs', 10) };
}

export class RaceCommands {
  constructor(
    private readonly races: RaceModel,
    private readonly changed: () => void,
  ) {}

  async onExpression(context?: VariableContext): Promise<void> {
    const given = context?.variable?.evaluateName ?? context?.variable?.name;
    const expression = given ?? (await vscode.window.showInputBox({ prompt: 'Expression whose accesses to hunt races on (a shared variable)', validateInput: checkExpression }));
    if (expression !== undefined) {
      await this.hunt({ targets: [{ expression }] }, expression);
    }
  }

  async onAddress(): Promise<void> {
    const address = await vscode.window.showInputBox({ prompt: 'Address to hunt races on (0x…)', validateInput: checkAddress });
    const bytes = address === undefined ? undefined : await vscode.window.showInputBox({ prompt: 'Bytes', value: '8', validateInput: (text) => checkBytes(text, address) });
    if (address !== undefined && bytes !== undefined) {
      await this.hunt({ targets: [{ address: address.trim(), bytes: Number(bytes) }] }, address.trim());
    }
  }

  async inProgram(): Promise<void> {
    await this.hunt({}, 'the whole program');
  }

  async stop(): Promise<void> {
    await session()?.customRequest('pwatch/stopHunt', {}).then(undefined, (e: Error) => vscode.window.showErrorMessage(`pwatch: ${e.message}`));
  }

  /** The race's report (a node of the Races section), or every race's, on the clipboard. */
  async copyReport(node?: { kind: string; id: number }): Promise<void> {
    const races = node?.kind === 'race' ? [this.races.get(node.id)].filter((r) => r !== undefined) : this.races.list();
    await vscode.env.clipboard.writeText(races.map((race) => tsanReport(race)).join('\n\n'));
  }

  private async hunt(args: HuntRacesArgs, what: string): Promise<void> {
    const target = session();
    if (!target) {
      return;
    }
    this.races.hunting = true;
    this.changed();
    try {
      const result = (await target.customRequest('pwatch/huntRaces', { ...settings(), ...args })) as HuntResult;
      void vscode.window.showInformationMessage(`pwatch: race hunt in ${what} ended: ${result.races} race${result.races === 1 ? '' : 's'}, ${result.stalls} stalls.`);
    } catch (e) {
      void vscode.window.showErrorMessage(`pwatch: ${(e as Error).message}`);
    } finally {
      this.races.hunting = false;
      this.changed();
    }
  }
}
