// The search page as a reader uses it, in headless Chromium: type a query with the keyboard,
// wait for the results, move into them with the arrow keys, follow one with Enter, and run axe
// on the page with its results shown.
// Argument: {"url": "<site base URL>", "queries": ["word", ...], "follow": "word", "more": "word"}. Prints
// {"results": {"queries": [{"query", "status", "results": [{"text", "href"}]}],
//              "fromAddress": {"query", "status"}, "paging": {"before", "after", "focused", "moreHidden", "titles"},
//              "keyboard": {"focused", "landed"},
//              "axe": [{"id", "impact", "targets"}], "noscript": "...", "errors": ["..."]}}.
import { createRequire } from "node:module";
import { launchBrowser, readArgs } from "./chrome.mjs";

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function settle(page, previous) {
  // The status line changes when an answer arrives; results follow in the same task.
  await page.waitForFunction(
    (before) => {
      const status = document.querySelector("[data-search-status]").textContent;
      return status && status !== before;
    },
    { timeout: 10000 },
    previous,
  );
  return page.$eval("[data-search-status]", (el) => el.textContent);
}

async function typeQuery(page, query) {
  const before = await page.$eval("[data-search-status]", (el) => el.textContent);
  await page.click("#search-q", { clickCount: 3 });
  await page.keyboard.press("Backspace");
  await page.keyboard.type(query);
  const status = await settle(page, before);
  const results = await page.$$eval("[data-search-results] a", (links) =>
    links.map((a) => ({ text: a.textContent, href: a.getAttribute("href") })),
  );
  return { query, status, results };
}

const { url, queries, follow, more } = readArgs();
const { browser, close } = await launchBrowser();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(url + "search/", { waitUntil: "load" });
  const found = [];
  for (const query of queries) {
    found.push(await typeQuery(page, query));
  }
  // Long answers come 20 at a time; "Show more results" adds the rest and focuses the first new one.
  let paging = null;
  if (more) {
    const first = await typeQuery(page, more);
    await page.click("[data-search-more]");
    await page.waitForFunction((n) => document.querySelectorAll("[data-search-results] a").length > n, {}, first.results.length);
    paging = {
      before: first.results.length,
      after: await page.$$eval("[data-search-results] a", (links) => links.length),
      focused: await page.evaluate(() => document.activeElement.textContent),
      moreHidden: await page.$eval("[data-search-more]", (b) => b.hidden),
      titles: await page.$$eval("[data-search-results] a", (links) => links.map((a) => a.textContent)),
    };
  }
  // Keyboard: the down arrow leaves the field for the first result, Enter follows it.
  await typeQuery(page, follow);
  await page.focus("#search-q");
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  await page.addScriptTag({ path: axePath });
  const axe = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  const landed = page.url();
  // A query in the address (the header's form on every page submits one) runs on load.
  await page.goto(url + "search/?q=" + encodeURIComponent(follow), { waitUntil: "load" });
  const fromAddress = { query: follow, status: await settle(page, "") };
  // Without JavaScript the page says so and links to the publications.
  const plain = await browser.newPage();
  await plain.setJavaScriptEnabled(false);
  await plain.goto(url + "search/", { waitUntil: "load" });
  const noscript = await plain.$eval("noscript", (el) => el.textContent);
  const result = {
    queries: found,
    fromAddress,
    paging,
    keyboard: { focused, landed },
    axe: axe.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) })),
    noscript,
    errors,
  };
  process.stdout.write(JSON.stringify({ results: result }) + "\n");
} finally {
  await close();
}
