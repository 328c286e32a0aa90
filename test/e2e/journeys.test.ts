/**
 * pwatch in VS Code's own workbench (code-server 4.100.3 = VS Code 1.100.3, headless chromium): the
 * packaged .vsix installed into a fresh profile, test-workspace/ opened, and its journeys driven through the
 * UI like a person. Assertions read the UI (rows, menus, notifications, console text). A screenshot for
 * every step lands in test-results/e2e/, and one on failure.
 */
import * as assert from 'assert';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext } from 'playwright-core';
import { requireFiringWatchpoints } from '../machine';
import { CodeServer } from './codeServer';
import { openBrowser, RESULTS, Workbench } from './workbench';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const VSIX = path.join(ROOT, `pwatch-${VERSION}-linux-x64.vsix`);

function markerLine(file: string, marker: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(`/* BP:${marker} */`) || l.trimEnd().endsWith(`// BP:${marker}`)) + 1;
}

/** A copy of test-workspace/ (with its built programs) and a launch.json for these journeys. */
function makeWorkspace(hogPid: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-e2e-ws-'));
  fs.cpSync(path.join(ROOT, 'test-workspace'), dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}bin`) });
  // Built here, so the debug information names these sources (the editor sets breakpoints by their path).
  execFileSync('make', ['-s', '-C', dir], { stdio: 'inherit' });
  const configurations = [
    // Journeys 3 and 4 read what the program prints from the Debug Console, not from a terminal.
    { type: 'pwatch', request: 'launch', name: 'shared (pwatch)', program: '${workspaceFolder}/bin/shared', args: ['3', '3'], cwd: '${workspaceFolder}', console: 'internalConsole' },
    { type: 'pwatch', request: 'attach', name: 'attach hog (pwatch)', pid: hogPid },
    { type: 'pwatch', request: 'launch', name: 'logstorm (pwatch)', program: '${workspaceFolder}/bin/logstorm', args: ['2', '3000000'], stopAtEntry: true, console: 'internalConsole' },
    { type: 'pwatch', request: 'launch', name: 'inventory (pwatch)', program: '${workspaceFolder}/bin/inventory', args: ['10'], console: 'internalConsole' },
    // No console attribute: VS Code can run terminals, so the program gets the integrated terminal.
    { type: 'pwatch', request: 'launch', name: 'greet (pwatch)', program: '${workspaceFolder}/bin/greet' },
    // Journey 9: a race hunt holds one thread while the others run (stopMode thread).
    { type: 'pwatch', request: 'launch', name: 'race_counter (pwatch)', program: '${workspaceFolder}/bin/race_counter', args: ['120'], stopAtEntry: true, stopMode: 'thread', console: 'internalConsole' },
  ];
  fs.writeFileSync(path.join(dir, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations }, null, 2));
  return dir;
}

function startHog(): Promise<{ child: ChildProcess; pid: number; hogs: number[] }> {
  const child = spawn(path.join(ROOT, 'test-workspace', 'bin', 'hog'), ['2', '2', '600'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /hog: pid (\d+) hogs ([\d ]+)\n/.exec(text);
      if (match) {
        resolve({ child, pid: Number(match[1]), hogs: match[2].trim().split(' ').map(Number) });
      }
    });
    child.once('error', reject);
  });
}

describe('pwatch in VS Code (code-server, headless chromium)', function () {
  this.timeout(180000);
  let server: CodeServer;
  let context: BrowserContext;
  let wb: Workbench;
  let workspace: string;
  let hog: Awaited<ReturnType<typeof startHog>>;
  let shared: string;

  before(async function () {
    this.timeout(300000);
    if (!fs.existsSync(VSIX)) {
      throw new Error(`${VSIX} is missing: run npm run package (npm run test:e2e does)`);
    }
    hog = await startHog();
    workspace = makeWorkspace(hog.pid);
    shared = path.join(workspace, 'src', 'shared.c');
    server = await CodeServer.start(VSIX, workspace);
    const browser = await openBrowser(path.join(server.home, 'chromium'));
    context = browser.context;
    wb = new Workbench(browser.page);
    await wb.open(server.url(workspace));
    await wb.screenshot('workbench');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await wb.screenshot(`failed-${(this.currentTest.title.match(/^\d/) ?? ['x'])[0]}`).catch(() => undefined);
    }
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    server?.stop();
    hog?.child.kill('SIGKILL');
  });

  it('1. starts from the command palette and stops at a breakpoint set by clicking the gutter', async () => {
    await wb.openFile('src/shared.c');
    const line = markerLine(shared, 'shared-open');
    await wb.clickGutter(line);
    await wb.page.locator(`.monaco-editor .glyph-margin-widgets .codicon-debug-breakpoint`).first().waitFor();
    await wb.screenshot('gutter-breakpoint');
    await wb.command('Debug: Select and Start Debugging');
    await wb.pick('shared (pwatch)');
    await wb.pausedLabels().filter({ hasText: /paused on breakpoint/i }).first().waitFor({ timeout: 60000 });
    await wb.screenshot('stopped-at-breakpoint');
    assert.match(await wb.page.locator('.monaco-editor .debug-top-stack-frame-line').first().getAttribute('class') ?? '', /debug-top-stack-frame-line/);
  });

  it('2. offers Break on Value Change and Access on a shared variable in the Variables view', async () => {
    const variables = wb.rows('Variables');
    const tally = variables.filter({ has: wb.page.locator('.name', { hasText: /^tally( =)?$/ }) }).first();
    await tally.click();
    await wb.page.keyboard.press('ArrowRight');
    const count = variables.filter({ has: wb.page.locator('.name', { hasText: /^count( =)?$/ }) }).first();
    await count.click({ button: 'right' });
    const menu = wb.page.locator('.monaco-menu-container');
    await menu.waitFor();
    await wb.screenshot('variables-context-menu');
    const items = await menu.getByRole('menuitem').allInnerTexts();
    assert.ok(items.some((i) => /Break on Value Change/.test(i)), items.join(' | '));
    assert.ok(items.some((i) => /Break on Value Access/.test(i)), items.join(' | '));
    await menu.getByRole('menuitem', { name: 'Break on Value Change' }).click();
  });

  /** Opens the Disassembly view at the current stop and steps one instruction there (F10 while it has focus). */
  async function stepOneInstructionInDisassembly(name: string): Promise<void> {
    // VS Code 1.100 names it with or without the Debug category depending on the build.
    await wb.command('Open Disassembly View').catch(() => wb.command('Debug: Open Disassembly View'));
    const view = wb.page.locator('.disassembly-view');
    await view.waitFor({ timeout: 30000 });
    // The row of the instruction the program stopped at carries the stack frame marker.
    const current = () => view.locator('.monaco-list-row', { has: wb.page.locator('.codicon-debug-stackframe') }).first();
    await current().waitFor({ timeout: 30000 });
    const before = await current().innerText();
    assert.match(before, /0x[0-9a-f]+/i, `an address in the current row: ${before}`);
    await wb.screenshot(`${name}-disassembly`);
    await current().click();
    await wb.page.keyboard.press('F10');
    await wb.until(async () => (await current().innerText().catch(() => before)) !== before, 'the current instruction to move by one');
    await wb.screenshot(`${name}-stepped`);
  }

  it('2b. opens the Disassembly view where the program stopped, and steps one instruction there', async () => {
    await stepOneInstructionInDisassembly('breakpoint');
  });

  it('3. lists the data breakpoint with its coverage, and stops in another thread with the hit in Watchpoints', async function () {
    requireFiringWatchpoints(this);
    const data = wb.rows('Breakpoints').filter({ hasText: /count \(8 bytes at 0x/ }).first();
    await data.waitFor();
    await wb.attribute(data, 'aria-label', /armed on 4 of 4 threads/);
    await wb.screenshot('breakpoints-view');
    await wb.continue();
    const paused = wb.pane('Call Stack').locator('.monaco-list-row', { has: wb.page.locator('.state.label', { hasText: /data breakpoint/i }) });
    await paused.first().waitFor();
    const pid = /shared: pid (\d+)/.exec(await wb.consoleText())![1];
    const thread = await paused.first().innerText();
    assert.doesNotMatch(thread, new RegExp(`tid ${pid}\\b`), `the writer, not main (pid ${pid}): ${thread}`);
    assert.match(thread, /shared \(tid \d+\)/);
    await wb.expandPane('Watchpoints');
    const hit = wb.rows('Watchpoints').filter({ hasText: /worker \(shared\.c:\d+\): 0 → 1/ });
    await wb.rows('Watchpoints').filter({ hasText: /Recent hits \(1\)/ }).first().click();
    await hit.first().waitFor();
    await wb.screenshot('data-breakpoint-hit');
  });

  it('3b. at the data breakpoint hit, the Disassembly view shows the writing thread\'s instruction and steps one', async function () {
    requireFiringWatchpoints(this);
    await stepOneInstructionInDisassembly('data-breakpoint');
  });

  it('4. arms a data breakpoint at an address the program printed, from the Breakpoints view title', async function () {
    requireFiringWatchpoints(this);
    const address = /&tally\.checksum (0x[0-9a-f]+)/.exec(await wb.consoleText())![1];
    await wb.paneAction('Breakpoints', 'Add Data Breakpoint at Address');
    await wb.screenshot('address-input');
    await wb.answer(`${address} + 8`);
    await wb.screenshot('access-type-pick');
    await wb.pick('write');
    const row = wb.rows('Breakpoints').filter({ hasText: new RegExp(`8 bytes at ${address}`) }).first();
    await row.waitFor();
    await wb.attribute(row, 'aria-label', /armed on 4 of 4 threads/);
    await wb.screenshot('address-breakpoint');
    // The count breakpoint stays armed: continue until the Watchpoints view counts a hit on the address.
    const watchpoint = wb.rows('Watchpoints').filter({ hasText: new RegExp(`${address} \\(8 bytes, write\\)`) }).first();
    await watchpoint.waitFor();
    for (let i = 0; i < 10 && !/[1-9]\d* hits?/.test(await watchpoint.innerText()); i++) {
      await wb.continueToNextStop();
    }
    assert.match(await watchpoint.innerText(), /4 of 4 threads, [1-9]\d* hits?/);
    // VS Code would offer these to the next sessions (other programs): the journeys stay independent.
    await wb.paneAction('Breakpoints', 'Remove All Breakpoints');
    // The exception filters ("C++: on throw") stay listed: the address breakpoint's row is the one that goes.
    await row.waitFor({ state: 'detached' });
    await wb.screenshot('address-breakpoint-hit');
  });

  it('5. attached to a program whose threads hold their own debug registers: warning and missed threads', async function () {
    requireFiringWatchpoints(this);
    await wb.stopSession();
    await wb.command('Debug: Select and Start Debugging');
    await wb.pick('attach hog (pwatch)');
    // Attached once the Call Stack lists the program's threads.
    await wb.pane('Call Stack').locator('.monaco-list-row', { hasText: /hog \(tid \d+\)/ }).first().waitFor({ timeout: 60000 });
    await wb.command('pwatch: Add Data Breakpoint on Expression…');
    await wb.answer('hog_counter');
    await wb.pick('Break on Value Change');
    const warning = wb.page.locator('.notification-toast', { hasText: /hog_counter \(8 bytes, write\) misses 2 of 5 threads/ });
    await warning.waitFor();
    await wb.screenshot('missed-thread-warning');
    await warning.getByRole('button', { name: 'Show threads' }).click();
    await wb.expandPane('Watchpoints');
    const missed = wb.rows('Watchpoints').filter({ hasText: /^tid \d+: no free debug register/ });
    await missed.first().waitFor();
    const tids = (await missed.allInnerTexts()).map((t) => Number(/^tid (\d+)/.exec(t)![1])).sort((a, b) => a - b);
    assert.deepStrictEqual(tids, [...hog.hogs].sort((a, b) => a - b));
    await wb.screenshot('missed-threads-view');
  });

  it('6. a data logpoint streams its hits into the Debug Console without stopping the program', async function () {
    requireFiringWatchpoints(this);
    await wb.stopSession();
    await wb.command('Debug: Select and Start Debugging');
    await wb.pick('logstorm (pwatch)');
    await wb.until(async () => /paused on entry/i.test(await wb.pane('Call Stack').innerText()), 'the stop at entry', 60000);
    await wb.command('pwatch: Add Data Logpoint…');
    await wb.answer('storm_target');
    await wb.pick('Log Writes');
    await wb.expandPane('Watchpoints');
    await wb.rows('Watchpoints').filter({ hasText: /storm_target \(8 bytes, write\)/ }).first().waitFor();
    await wb.continue();
    const line = markerLine(path.join(workspace, 'src', 'logstorm.c'), 'storm-write');
    const logged = new RegExp(`storm_target: tid \\d+ (\\(thread \\d+\\) )?in storm \\(logstorm\\.c:${line}\\)`);
    await wb.until(async () => logged.test(await wb.consoleText()), 'logged accesses in the Debug Console');
    await wb.until(async () => /logged [\d,]{5,} accesses/.test((await wb.rows('Watchpoints').allInnerTexts()).join('\n')), 'thousands of accesses counted');
    // Logging, not stopping: nothing in the Call Stack says paused while the accesses stream in.
    assert.doesNotMatch(await wb.pane('Call Stack').innerText(), /paused/i);
    await wb.screenshot('data-logpoint-console');
    await wb.stopSession();
  });

  it('7. C++ values as the language writes them, a 100,000-element vector paged far in, and a stop on a throw from the Breakpoints view', async () => {
    await wb.stopSession();
    const inventory = path.join(workspace, 'src', 'inventory.cpp');
    await wb.openFile('src/inventory.cpp');
    await wb.clickGutter(markerLine(inventory, 'inventory-values'));
    await wb.command('Debug: Select and Start Debugging');
    await wb.pick('inventory (pwatch)');
    // With one thread, VS Code shows the paused state in the Call Stack's header rather than on a thread row.
    await wb.until(async () => /paused on breakpoint/i.test(await wb.pane('Call Stack').innerText()), 'the stop at the breakpoint', 60000);
    const variables = wb.rows('Variables');
    const named = (name: string) => variables.filter({ has: wb.page.locator('.name', { hasText: new RegExp(`^${name.replace(/[[\].]/g, '\\$&')}( =)?$`) }) }).first();
    await wb.until(async () => (await named('name').innerText().catch(() => '')).includes('"warehouse \\"north\\""'), "the string's text in Variables");
    await wb.until(async () => /std::vector of length 100000/.test(await named('counts').innerText().catch(() => '')), "the vector's length in Variables");
    // VS Code splits 100,000 indexed elements into ranges of 10,000, then 100, and asks only for those opened; the
    // pane is small and its rows virtual, so the keyboard walks to the tenth range as a user scrolls to it.
    const focused = variables.and(wb.page.locator('.focused'));
    const walkTo = async (label: string) => {
      for (let presses = 0; !(await focused.innerText().catch(() => '')).startsWith(label); presses++) {
        assert.ok(presses < 30, `${label} never focused in Variables (at ${await focused.innerText().catch(() => '?')})`);
        const before = await focused.innerText().catch(() => '');
        await wb.page.keyboard.press('ArrowDown');
        await wb.until(async () => (await focused.innerText().catch(() => before)) !== before, 'the focus to move down a row');
      }
    };
    await named('counts').click();
    await wb.page.keyboard.press('ArrowRight');
    await named('[0..9999]').waitFor();
    await walkTo('[90000..99999]');
    await wb.page.keyboard.press('ArrowRight');
    await walkTo('[90000..90099]');
    // This range opens when its elements arrive from the adapter (100 elements from 90,000). Until then the row below
    // it is the next range; once they arrive, the row above that one is this range's last element. The focus moves
    // between the two until it rests on an element, whichever it is.
    await wb.page.keyboard.press('ArrowRight');
    const focusedText = () => focused.innerText().catch(() => '');
    const element = /^\[(900\d\d)\]/;
    await wb.until(async () => {
      const before = await focusedText();
      if (element.test(before)) {
        return true;
      }
      await wb.page.keyboard.press(before.startsWith('[90000..90099]') ? 'ArrowDown' : 'ArrowUp');
      await wb.until(async () => (await focusedText()) !== before, 'the focus to move');
      return element.test(await focusedText());
    }, 'an element of [90000..90099] focused');
    const index = Number(element.exec(await focusedText())![1]);
    await wb.until(async () => new RegExp(`\\b${index * 3}\\b`).test(await focusedText()), `element ${index} (= ${index * 3}) in Variables`);
    await wb.screenshot('cpp-vector-paged');
    // The exception filters the adapter offers are in the Breakpoints view: check "C++: on throw", then continue.
    await wb.expandPane('Breakpoints');
    const filter = wb.rows('Breakpoints').filter({ hasText: 'C++: on throw' }).first();
    await filter.locator('input[type="checkbox"]').check();
    await wb.continue();
    // The stop's description is the paused label; VS Code opens the user's frame, under the runtime's __cxa_throw.
    await wb.until(async () => /C\+\+ exception thrown: std::runti/.test(await wb.pane('Call Stack').innerText()), 'the stop at the throw');
    const thrower = new RegExp(`audit\\s+inventory\\.cpp\\s+${markerLine(inventory, 'inventory-throw')}:1`);
    await wb.until(async () => thrower.test(await wb.pane('Call Stack').innerText()), "the user's frame under __cxa_throw in the Call Stack");
    const widget = wb.page.locator('.exception-widget').first();
    await widget.waitFor({ timeout: 30000 });
    assert.match(await widget.innerText(), /audit failed: too many counts/);
    await wb.screenshot('cpp-throw');
    await wb.stopSession();
  });

  it('8. a program that reads its input runs in the integrated terminal: typed lines reach it, its answers show', async () => {
    await wb.stopSession();
    await wb.command('Debug: Select and Start Debugging');
    await wb.pick('greet (pwatch)');
    const terminal = wb.page.locator('.terminal-wrapper .xterm-rows');
    const text = async () => (await terminal.allInnerTexts().catch(() => [])).join('\n');
    await wb.until(async () => /greet: ready/.test(await text()), "the program's first line in the terminal", 60000);
    await wb.command('Terminal: Focus Terminal');
    await wb.page.keyboard.type('Ada');
    await wb.page.keyboard.press('Enter');
    await wb.until(async () => /greet: hello Ada/.test(await text()), "the program's answer to the typed line");
    await wb.screenshot('terminal-stdin');
    await wb.page.keyboard.type('quit');
    await wb.page.keyboard.press('Enter');
    await wb.until(async () => /greet: bye/.test(await text()), 'the program to end on "quit"');
    // The session ends with the program.
    await wb.page.locator('.action-label.codicon-debug-stop').first().waitFor({ state: 'hidden', timeout: 30000 });
  });

  it('9. hunts a race on a shared counter from the command palette and opens both stacks from the Races section', async function () {
    requireFiringWatchpoints(this);
    await wb.stopSession();
    await wb.command('Debug: Select and Start Debugging');
    await wb.pick('race_counter (pwatch)');
    await wb.until(async () => /paused on entry/i.test(await wb.pane('Call Stack').innerText()), 'the stop at entry', 60000);
    await wb.command('pwatch: Hunt Races on Expression…');
    await wb.answer('counter');
    // The hunt begins when the program runs.
    await wb.continue();
    const warning = wb.page.locator('.notification-toast', { hasText: /data race on counter/ });
    await warning.waitFor({ timeout: 60000 });
    await wb.screenshot('race-notification');
    await warning.getByRole('button', { name: 'Show Races' }).click();
    // Show Races itself opens the Watchpoints view; the other panes are folded so that
    // both stacks' rows are drawn (the tree draws only the rows it has room for).
    await wb.attribute(wb.pane('Watchpoints').locator('.pane-header'), 'aria-expanded', /^true$/);
    for (const title of ['Variables', 'Call Stack', 'Breakpoints', 'Loaded Scripts']) {
      await wb.collapsePane(title);
    }
    const race = wb.rows('Watchpoints').filter({ hasText: /counter: thread \d+ (read|write) \(race_counter\.c:\d+\) vs thread \d+ (read|write)/ });
    await race.first().click();
    const line = markerLine(path.join(workspace, 'src', 'race_counter.c'), 'counter-increment');
    const frames = wb.rows('Watchpoints').filter({ hasText: new RegExp(`^\\s*worker \\(race_counter\\.c:${line}\\)`) });
    await wb.until(async () => (await frames.count()) >= 2, 'the top frame of both stacks');
    await wb.screenshot('races-view');
    for (const index of [0, 1]) {
      // Each stack's top frame opens the increment's line (an editor on another file first, so the open is seen).
      await wb.openFile('src/shared.c');
      await frames.nth(index).click();
      await wb.until(async () => /race_counter\.c/.test(await wb.page.locator('.tabs-container .tab.active').innerText()), 'race_counter.c in the editor');
      await wb.until(async () => new RegExp(`Ln ${line},`).test(await wb.page.locator('.statusbar-item', { hasText: /^Ln \d+/ }).first().innerText()), `the cursor on line ${line}`);
    }
    await wb.screenshot('race-stack-opened');
    await wb.stopSession();
  });

  it('10. observes a running program with no debugger, a data logpoint counting its writes, then attaches one', async function () {
    requireFiringWatchpoints(this);
    await wb.stopSession();
    const spin = spawn(path.join(workspace, 'bin', 'spin'), ['600'], { stdio: 'ignore' });
    const tracer = () => Number(/^TracerPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${spin.pid}/status`, 'utf8'))?.[1]);
    try {
      await wb.command('pwatch: Observe Process…');
      const input = wb.page.locator('.quick-input-widget input.input');
      await input.fill('spin');
      await wb.pick('spin');
      // The terminal of journey 8 may hold the panel: the console is where the session speaks.
      await wb.command('Debug Console: Focus on Debug Console View');
      await wb.until(async () => new RegExp(`observing process ${spin.pid}`).test(await wb.consoleText()), 'the observing session', 60000);
      await wb.command('pwatch: Add Data Logpoint…');
      await wb.answer('worker_ticks');
      await wb.pick('Log Writes');
      await wb.expandPane('Watchpoints');
      const line = markerLine(path.join(workspace, 'src', 'spin.c'), 'spin-worker');
      const logged = new RegExp(`worker_ticks: tid \\d+ .*in worker \\(spin\\.c:${line}\\)`);
      await wb.until(async () => logged.test(await wb.consoleText()), 'logged writes with their line in the Debug Console');
      await wb.until(async () => /logged [\d,]{3,} accesses/.test((await wb.rows('Watchpoints').allInnerTexts()).join('\n')), 'hundreds of writes counted');
      assert.strictEqual(tracer(), 0, 'nothing traces the observed program');
      await wb.screenshot('observe-logpoint');
      // The debug toolbar's button and the palette command are the same command.
      await wb.command('pwatch: Attach Debugger Now');
      await wb.until(async () => tracer() !== 0, 'gdb traces the program', 60000);
      await wb.until(async () => /debugger attached to process/.test(await wb.consoleText()), 'the console says so');
      await wb.screenshot('observe-debugger-attached');
      await wb.stopSession();
    } finally {
      spin.kill('SIGKILL');
    }
  });

  it('loads and activates quickly (Developer: Show Running Extensions)', async () => {
    await wb.command('Developer: Show Running Extensions');
    const row = wb.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: /pwatch/ }).first();
    await row.waitFor();
    await wb.screenshot('running-extensions');
    const text = await row.innerText();
    const activation = /(\d+)\s*ms/.exec(text);
    fs.writeFileSync(path.join(RESULTS, 'activation.txt'), `${text}\n`);
    console.log(`      pwatch in Running Extensions: ${text.replace(/\s+/g, ' ')}`);
    assert.ok(activation, text);
  });
});
