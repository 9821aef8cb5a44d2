// Full-page screenshots of each page at phone and desktop widths, light and dark.
// Argument: {"pages": [{"url", "name"}], "outDir": "...", "widths": [390, 1280]}.
// Prints the files written, one a line.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, readArgs } from "./chrome.mjs";

const { pages, outDir, widths = [390, 1280], schemes = ["light", "dark"] } = readArgs();
mkdirSync(outDir, { recursive: true });
const { browser, close } = await launchBrowser();
try {
  for (const { url, name } of pages) {
    for (const width of widths) {
      for (const scheme of schemes) {
        const page = await browser.newPage();
        await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
        await page.goto(url, { waitUntil: "load" });
        const file = join(outDir, `${name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        await page.close();
        process.stdout.write(file + "\n");
      }
    }
  }
} finally {
  await close();
}
