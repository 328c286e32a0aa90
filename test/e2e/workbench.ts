/**
 * Driving VS Code's workbench in headless chromium like a person: the command palette, the editor gutter,
 * views, context menus, notifications. Selectors are the ones ../shared/E2E.md found to work with VS Code
 * 1.100; every helper waits for what it needs (no sleeps) and every step can leave a screenshot.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';

export const RESULTS = path.resolve(__dirname, '..', '..', '..', 'test-results', 'e2e');

export async function openBrowser(profile: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PWATCH_CHROMIUM ?? '/usr/bin/chromium',
    viewport: { width: 1600, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30000);
  return { context, page };
}

export class Workbench {
  private shot = 0;

  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${String(++this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command from the palette by its exact label (retried once: early on, commands still register). */
  async command(label: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input.input');
      await input.waitFor();
      await input.fill(`>${label}`);
      const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
      try {
        await row.first().waitFor({ timeout: 10000 });
        await row.first().click();
        return;
      } catch (e) {
        await this.page.keyboard.press('Escape');
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  /** Answers the quick input (input box or pick list) with `text`, then Enter. */
  async answer(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill(text);
    await input.press('Enter');
  }

  /** Picks the row of an open quick pick whose label is exactly `label`. */
  async pick(label: string): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
    await row.first().click();
  }

  async openFile(relative: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill(relative);
    // Quick Open searches asynchronously: wait for the file's row before choosing it.
    await this.pick(path.basename(relative));
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
  }

  /** Clicks the glyph margin of `line` in the active editor (as a person sets a breakpoint). */
  async clickGutter(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.answer(`:${line}`);
    const number = this.page.locator('.monaco-editor .margin-view-overlays .line-numbers', { hasText: new RegExp(`^${line}$`) }).first();
    await number.waitFor();
    const box = (await number.boundingBox())!;
    const margin = (await this.page.locator('.monaco-editor .margin').first().boundingBox())!;
    // The glyph margin is the strip between the editor's left edge and the line numbers.
    await this.page.mouse.click(margin.x + Math.max(4, (box.x - margin.x) / 2), box.y + box.height / 2);
  }

  /** A view pane (Run and Debug container) by its header title, e.g. 'Breakpoints', 'Watchpoints'. */
  pane(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escape(title)}`, 'i') }) });
  }

  /** Rows of a pane's tree or list. */
  rows(title: string): Locator {
    return this.pane(title).locator('.monaco-list-row');
  }

  async expandPane(title: string): Promise<void> {
    const header = this.pane(title).locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') {
      await header.click();
    }
  }

  /** Collapses a pane of the side bar if it is open (to give the panes a test reads the room their rows need). */
  async collapsePane(title: string): Promise<void> {
    const header = this.pane(title).locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'true') {
      await header.click();
      await this.attribute(header, 'aria-expanded', /^false$/);
    }
  }

  /** Waits until an element's attribute matches (the UI updates when the adapter answers). */
  async attribute(element: Locator, name: string, pattern: RegExp, timeout = 30000): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = (await element.getAttribute(name)) ?? '';
      if (pattern.test(value)) {
        return value;
      }
      if (Date.now() > deadline) {
        throw new Error(`${name} never matched ${pattern}: ${JSON.stringify(value)}`);
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** Clicks Continue on the debug toolbar (docked in the Run and Debug view). */
  async continue(): Promise<void> {
    await this.page.locator('.action-label.codicon-debug-continue').first().click();
  }

  /** Ends the debug session if one runs (Stop on the toolbar), and waits until it is gone. */
  async stopSession(): Promise<void> {
    const stop = this.page.locator('.action-label.codicon-debug-stop, .action-label.codicon-debug-disconnect').first();
    if (await stop.isVisible()) {
      await stop.click();
      await stop.waitFor({ state: 'hidden' });
    }
  }

  /** Polls `condition` (the UI changes as events arrive) until it holds. */
  async until(condition: () => Promise<boolean>, what: string, timeout = 30000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!(await condition())) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}`);
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** Continues and waits for the next stop (the Call Stack's paused label changes). */
  async continueToNextStop(timeout = 30000): Promise<string> {
    const labels = this.pane('Call Stack').locator('.state.label');
    const before = (await labels.allInnerTexts()).join('|');
    await this.continue();
    const deadline = Date.now() + timeout;
    for (;;) {
      const now = (await labels.allInnerTexts()).join('|');
      if (now !== before && /breakpoint/i.test(now)) {
        return now;
      }
      if (Date.now() > deadline) {
        throw new Error(`no new stop after continue (Call Stack says ${now})`);
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** Clicks a view's title action, shown when the pointer is over its header. */
  async paneAction(title: string, action: string): Promise<void> {
    const header = this.pane(title).locator('.pane-header');
    await header.hover();
    await header.locator(`.action-label[aria-label="${action}"]`).click();
  }

  /** The text of the Debug Console. */
  async consoleText(): Promise<string> {
    return (await this.page.locator('.repl .monaco-list-rows').allInnerTexts()).join('\n');
  }

  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** The Call Stack's paused-thread label, e.g. "Paused on data breakpoint". */
  pausedLabels(): Locator {
    return this.pane('Call Stack').locator('.state.label');
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
