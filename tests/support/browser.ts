/**
 * A real headless browser for the pages a person uses (the emulator's MCA acceptance page and GDAP approval page):
 * Debian's `chromium`, installed by `.ci/run`, driven by `puppeteer-core` (which brings no browser of its own). The
 * launch flags are the ones this workplace's closed network needs: without the background-networking ones Chromium
 * keeps trying to reach Google's hosts.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `Chromium is not installed at ${path}: the page tests drive a real browser. Install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  return path;
}

/** Starts headless Chromium with an empty profile; `close()` also removes the profile. */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const { launch } = await import("puppeteer-core");
  const profile = mkdtempSync(join(tmpdir(), "pc-chromium-"));
  const browser = await launch({
    executablePath: chromiumPath(),
    headless: true,
    // The emulator's certificate comes from its own CA, which this throwaway profile does not trust.
    acceptInsecureCerts: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What the acceptance page showed a person who accepted. */
export interface AcceptanceOutcome {
  /** The page's title before accepting. */
  title: string;
  /** The status line after accepting. */
  status: string;
}

/**
 * Accepts the Microsoft Customer Agreement as the customer would: opens the acceptance link, ticks the box, presses
 * Accept, and reads the confirmation. With `screenshot`, saves a PNG of the page before accepting.
 */
export async function acceptInBrowser(link: string, options: { screenshot?: string } = {}): Promise<AcceptanceOutcome> {
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    const response = await page.goto(link, { waitUntil: "domcontentloaded" });
    if (!response?.ok()) throw new Error(`the acceptance page answered HTTP ${response?.status()}`);
    const title = await page.title();
    if (options.screenshot) await page.screenshot({ path: options.screenshot as `${string}.png` });
    await page.click("#agree");
    await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.click("#accept")]);
    const status = await page.$eval("#status", (element) => element.textContent ?? "");
    return { title, status: status.trim() };
  } finally {
    await close();
  }
}

/** What the GDAP approval page showed the customer's admin. */
export interface GdapApprovalOutcome {
  /** The page's title. */
  title: string;
  /** The request's details as the page listed them (partner, customer, name, duration…), as text; "" when none. */
  details: string;
  /** The role names the page listed. */
  roles: string[];
  /** Whether the page offered the Approve button, it was pressed, and the page reported the approval. */
  approved: boolean;
  /** The status line: the outcome after pressing Approve, or why there is nothing to approve. */
  status: string;
}

/**
 * Approves a GDAP relationship as the customer's admin would: opens the approval link (the relationship ID is in its
 * fragment, which only the page's script reads), waits for the request's details, presses Approve when the page offers
 * it, and reads the status line. A page that offers no button (unknown link, not awaiting approval, expired) is
 * reported with `approved: false` and its message. With `screenshot`, saves a PNG of the page before approving.
 */
export async function approveGdapInBrowser(
  link: string,
  options: { screenshot?: string } = {},
): Promise<GdapApprovalOutcome> {
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    const response = await page.goto(link, { waitUntil: "domcontentloaded" });
    if (!response?.ok()) throw new Error(`the approval page answered HTTP ${response?.status()}`);
    const title = await page.title();
    // The script fetches the details after load: either the button or a status line appears once it has.
    await page.waitForSelector("#approve, #status", { timeout: 15_000 });
    const details = await page.$eval("#content", (element) => element.querySelector("#details")?.textContent ?? "");
    const roles = await page.$$eval("#roles li", (items) => items.map((item) => item.textContent ?? ""));
    if (options.screenshot) await page.screenshot({ path: options.screenshot as `${string}.png` });
    const button = await page.$("#approve");
    if (button) {
      await button.click();
      await page.waitForSelector("#status", { timeout: 15_000 });
    }
    const status = await page.$eval("#status", (element) => element.textContent ?? "");
    const line = status.trim();
    return {
      title,
      details: details.trim(),
      roles,
      approved: button !== null && line.startsWith("Approved"),
      status: line,
    };
  } finally {
    await close();
  }
}
