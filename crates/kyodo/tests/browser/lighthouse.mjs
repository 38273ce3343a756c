// Lighthouse over a sample of Kyodo's public page kinds: every category must score 100.
// Desktop settings (as the front-door issue measured); KYODO_LIGHTHOUSE_FORM=mobile runs the
// mobile emulation with its 4× CPU slowdown instead, for a report.
//
//   node lighthouse.mjs http://127.0.0.1:PORT
//
// The sample is found by following the site's own links (the first matching link on a list page),
// so a page kind that disappears from its list fails the run instead of being skipped. Exits 1 when
// any page scores under 100 in any category, naming the audits that cost the points.
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const base = process.argv[2];
if (!base) {
  console.error('usage: node lighthouse.mjs BASE_URL');
  process.exit(2);
}

// [label, list page, link patterns followed in turn (none: the list page itself)]
const SAMPLE = [
  ['home', '/'],
  ['plans', '/plans'],
  ['plan', '/plans', /^\/plans\/\d+$/],
  ['plan item', '/plans', /^\/plans\/\d+$/, /^\/plans\/items\/\d+$/],
  ['evaluation', '/evaluation'],
  ['programme', '/evaluation', /^\/evaluation\/programmes\/\d+$/],
  ['survey results', '/surveys', /^\/surveys\/\d+\/results$/],
  ['minutes meeting', '/minutes', /^\/minutes\/meetings\/\d+$/],
  ['minutes search', '/minutes?q=%E8%B2%A1%E6%94%BF'],
  ['consultation', '/consultations', /^\/consultations\/\d+$/],
  ['council', '/councils', /^\/councils\/\d+$/],
  ['市民の声', '/cases/voices'],
  ['facility', '/facilities', /^\/facilities\/\d+$/],
  ['room availability', '/facilities', /^\/facilities\/rooms\/\d+$/],
  ['finance', '/finance'],
  ['financial statements', '/finance/statements'],
  ['open data', '/opendata'],
  ['窓口', '/cases'],
  ['accessibility policy', '/accessibility'],
  ['accessibility report', '/accessibility/report'],
];

async function firstLink(listPath, pattern) {
  const res = await fetch(base + listPath);
  if (!res.ok) throw new Error(`${listPath}: HTTP ${res.status}`);
  const html = await res.text();
  for (const m of html.matchAll(/href="([^"]+)"/g)) {
    const href = m[1].replaceAll('&amp;', '&');
    if (pattern.test(href)) return href;
  }
  throw new Error(`${listPath}: no link matching ${pattern}`);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
const mobile = process.env.KYODO_LIGHTHOUSE_FORM === 'mobile';
let failed = 0;
try {
  console.log(`| page | path | ${categories.join(' | ')} |`);
  console.log(`|---|---|${categories.map(() => '---:').join('|')}|`);
  for (const [label, list, ...patterns] of SAMPLE) {
    let path;
    try {
      path = list;
      for (const pattern of patterns) path = await firstLink(path, pattern);
    } catch (e) {
      console.log(`| ${label} | — | sample page not found: ${e.message} |`);
      failed++;
      continue;
    }
    // A trace Chromium failed to record (NO_NAVSTART and the like) is the tool's hiccup, not a
    // score: such a run is repeated once.
    let lhr;
    for (let attempt = 0; attempt < 2; attempt++) {
      const run = await lighthouse(
        base + path,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories },
        mobile ? undefined : desktopConfig,
      );
      lhr = run.lhr;
      if (!lhr.runtimeError) break;
    }
    const scores = categories.map((c) => Math.round((lhr.categories[c].score ?? 0) * 100));
    console.log(`| ${label} | ${path} | ${scores.join(' | ')} |`);
    if (lhr.runtimeError) {
      console.log(`    runtime error: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      failed++;
      continue;
    }
    if (scores.some((s) => s < 100)) {
      failed++;
      for (const c of categories) {
        for (const ref of lhr.categories[c].auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            console.log(`    ${c}: ${ref.id} ${audit.score} ${audit.displayValue ?? ''} ${audit.title}`);
          }
        }
      }
    }
  }
} finally {
  await chrome.kill();
}
if (failed > 0) {
  console.error(`Lighthouse: ${failed} page(s) under 100 or missing`);
  process.exit(1);
}
console.log(`Lighthouse: all ${SAMPLE.length} pages at 100 in every category`);
