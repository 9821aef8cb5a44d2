// Lighthouse (mobile and desktop) on each URL, one Chromium for all runs.
// Argument: {"urls": [...], "formFactors": ["mobile", "desktop"], "reportDir": optional folder}.
// Prints {"results": [{"url", "formFactor", "scores": {category: score}, "metrics": {audit id: value},
// "failed": [{"id", "title", "category", "score", "displayValue"}]}]}: "failed" lists the audits that
// cost points; "metrics" are the performance metrics (ms, CLS unitless).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { CHROME_FLAGS, CHROME_PATH, freshProfile, readArgs } from "./chrome.mjs";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
];

function failedAudits(lhr) {
  const failed = [];
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        failed.push({ id: ref.id, title: audit.title, category: id, score: audit.score, displayValue: audit.displayValue || "" });
      }
    }
  }
  return failed;
}

async function run(port, url, formFactor, reportDir) {
  const config = formFactor === "desktop" ? desktopConfig : undefined;
  const flags = { port, output: "json", logLevel: "error", onlyCategories: CATEGORIES };
  const { lhr, report } = await lighthouse(url, flags, config);
  if (lhr.runtimeError) {
    throw new Error(`${url} (${formFactor}): ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  }
  if (reportDir) {
    const name = `${new URL(url).pathname.replace(/[^A-Za-z0-9]+/g, "_")}${formFactor}.json`;
    writeFileSync(join(reportDir, name), report);
  }
  const scores = Object.fromEntries(CATEGORIES.map((id) => [id, lhr.categories[id].score]));
  const metrics = Object.fromEntries(METRICS.map((id) => [id, lhr.audits[id].numericValue]));
  return { url, formFactor, scores, metrics, failed: failedAudits(lhr) };
}

const { urls, formFactors = ["mobile", "desktop"], reportDir } = readArgs();
const profile = freshProfile();
const chrome = await chromeLauncher.launch({
  chromePath: CHROME_PATH,
  chromeFlags: CHROME_FLAGS,
  userDataDir: profile.dir,
  logLevel: "silent",
});
try {
  const results = [];
  for (const url of urls) {
    for (const formFactor of formFactors) {
      results.push(await run(chrome.port, url, formFactor, reportDir));
    }
  }
  process.stdout.write(JSON.stringify({ results }) + "\n");
} finally {
  await chrome.kill();
  profile.done();
}
