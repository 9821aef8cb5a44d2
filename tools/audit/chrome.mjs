// The one place that knows how to start Debian's Chromium for the audits: headless, as root
// (no sandbox), and quiet on a machine without a network (no QUIC, updates, sync or pings).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROME_PATH = process.env.CHROME_PATH || "/usr/bin/chromium";

export const CHROME_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** A fresh profile folder, so no run sees another's cache or settings; removed by `done()`. */
export function freshProfile() {
  const dir = mkdtempSync(join(tmpdir(), "scholarpages-chrome-"));
  const done = () => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // Chromium may still be flushing its profile; a leftover temporary folder does no harm.
    }
  };
  return { dir, done };
}

/** Puppeteer on Debian's Chromium with the flags above; `close()` also removes the profile. */
export async function launchBrowser() {
  const { default: puppeteer } = await import("puppeteer-core");
  const profile = freshProfile();
  const browser = await puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: [...CHROME_FLAGS, `--user-data-dir=${profile.dir}`],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      profile.done();
    },
  };
}

/** The JSON document given as the first argument. */
export function readArgs() {
  if (!process.argv[2]) {
    throw new Error(`usage: node ${process.argv[1]} '<json>'`);
  }
  return JSON.parse(process.argv[2]);
}
