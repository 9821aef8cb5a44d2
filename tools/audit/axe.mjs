// axe-core on every page in both colour schemes, in one Chromium session, with <details> open.
// Argument: {"urls": [...], "schemes": ["light", "dark"]}. Prints
// {"results": [{"url", "scheme", "violations": [{"id", "impact", "help", "targets"}], "passes"}]}.
import { createRequire } from "node:module";
import { launchBrowser, readArgs } from "./chrome.mjs";

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function audit(browser, url, scheme) {
  const page = await browser.newPage();
  try {
    await page.setCacheEnabled(false);
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response || response.status() >= 400) {
      throw new Error(`${url}: HTTP ${response ? response.status() : "no response"}`);
    }
    // Open every <details> (folded abstracts, full author lists) so their content is checked too.
    await page.$$eval("details", (all) => all.forEach((d) => (d.open = true)));
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      AXE_TAGS,
    );
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 10),
    }));
    return { url, scheme, violations, passes: result.passes.length };
  } finally {
    await page.close();
  }
}

const { urls, schemes = ["light", "dark"] } = readArgs();
const { browser, close } = await launchBrowser();
try {
  const results = [];
  for (const url of urls) {
    for (const scheme of schemes) {
      results.push(await audit(browser, url, scheme));
    }
  }
  process.stdout.write(JSON.stringify({ results }) + "\n");
} finally {
  await close();
}
