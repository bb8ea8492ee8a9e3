// make a11y: axe-core on each report.html given, at a desktop and a phone width, in Debian's
// chromium driven by puppeteer-core (no browser download). Exit 0 when no page has a violation,
// 1 when any has one, 2 when the check itself could not run.
//
//   node a11y/check.mjs out/2020-10-31/report.html out/2020-10-31-public/report.html
//
// Environment: CHROMIUM (default /usr/bin/chromium); A11Y_SCREENSHOTS=DIR saves a full-page
// PNG of each page at each width, to look at.
//
// Besides axe-core's rules, three checks of our own at each width, for the phone layout that axe
// does not judge: the page must not be wider than the window (a wide table or chart pushes it
// out, and a phone then zooms the whole page out), no table cell may be too narrow for its
// figure (the numbers run together), and no text may be smaller than 12 px. Text drawn inside
// a chart's SVG image is measured in the drawing the browser chose, and counted the same way.

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');
const AXE_VERSION = require('axe-core/package.json').version;

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900, isMobile: false, deviceScaleFactor: 1 },
  { name: 'phone', width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
];
// WCAG 2.2 level A and AA, axe-core's best practices, and its experimental rules.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'];
const MIN_TEXT_PX = 12;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node a11y/check.mjs REPORT.html [REPORT.html ...]');
  process.exit(2);
}
const shots = process.env.A11Y_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });

// The run folder's name says the edition: out/2020-10-31-public/report.html -> 2020-10-31-public.
const label = (file) => `${basename(dirname(resolve(file)))}/${basename(file)}`;

// The page's own layout checks: what sticks out of the window, table cells whose figures spill
// into the next cell, and the smallest text shown.
function layoutProblems(minPx) {
  const describe = (el) => {
    const name = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : '');
    const table = el.closest('table');
    const caption = table && table.caption ? ` in table "${table.caption.textContent.trim().slice(0, 50)}"` : '';
    return name + caption;
  };
  const problems = [];
  const root = document.scrollingElement;
  const width = document.documentElement.clientWidth; // the window less any scroll bar (innerWidth grows with the overflow on a phone)
  if (root.scrollWidth > width + 1) {
    // the outermost elements that stick out of the window
    const wide = [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .filter((el) => el.parentElement.getBoundingClientRect().right <= width + 1)
      .slice(0, 5)
      .map(describe);
    problems.push({
      id: 'page-overflow',
      help: `The page is ${root.scrollWidth} px wide in a ${width} px window: it scrolls sideways (a phone zooms it out)`,
      targets: wide,
    });
  }
  const spilling = [...document.querySelectorAll('th, td')].filter((cell) => cell.scrollWidth > cell.clientWidth + 1);
  if (spilling.length) {
    const tables = new Map();
    for (const cell of spilling) {
      const key = describe(cell.closest('table'));
      tables.set(key, (tables.get(key) || 0) + 1);
    }
    problems.push({
      id: 'cell-overflow',
      help: 'Table cells too narrow for their contents: the text runs into the next cell',
      targets: [...tables].map(([key, n]) => `${key} (${n} cell${n > 1 ? 's' : ''})`),
    });
  }
  const small = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    const px = parseFloat(style.fontSize);
    if (px < minPx - 0.05) {
      const key = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : '');
      const seen = small.get(key);
      if (!seen || px < seen.px) small.set(key, { px, text: node.textContent.trim().slice(0, 40) });
    }
  }
  if (small.size) {
    problems.push({
      id: 'small-text',
      help: `Text smaller than ${minPx} px`,
      targets: [...small].map(([key, { px, text }]) => `${key} (${px.toFixed(1)} px: "${text}")`),
    });
  }
  return problems;
}

// The smallest text inside each chart, as shown: the font size of the SVG the browser chose
// (the phone drawing on a narrow screen) scaled by the width the image is drawn at.
function chartTextPx() {
  const sizes = [...document.querySelectorAll('img[src^="data:image/svg+xml;base64,"]')].map((img) => {
    const chosen = img.currentSrc || img.src;
    const svg = new DOMParser().parseFromString(atob(chosen.split(',')[1]), 'image/svg+xml').documentElement;
    const viewBoxWidth = svg.viewBox.baseVal.width;
    const fonts = [...svg.querySelectorAll('text')].map((t) => parseFloat(t.style.fontSize)).filter((n) => n > 0);
    return fonts.length && viewBoxWidth ? (Math.min(...fonts) * img.getBoundingClientRect().width) / viewBoxWidth : Infinity;
  });
  return Math.min(...sizes);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'lac-a11y-chromium-'));
let browser;
let failed = 0;
try {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    userDataDir,
  });
  console.log(`axe-core ${AXE_VERSION}, ${await browser.version()}; rules tagged ${TAGS.join(', ')}`);
  for (const file of files) {
    for (const view of WIDTHS) {
      const page = await browser.newPage();
      const { name, ...viewport } = view;
      await page.setViewport(viewport);
      await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
      await page.addScriptTag({ path: AXE_SOURCE });
      const results = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        TAGS,
      );
      const layout = await page.evaluate(layoutProblems, MIN_TEXT_PX);
      const chartPx = await page.evaluate(chartTextPx);
      if (shots) {
        const png = join(shots, `${basename(dirname(resolve(file)))}-${name}.png`);
        await page.screenshot({ path: png, fullPage: true });
      }
      await page.close();

      const smallCharts = chartPx < MIN_TEXT_PX - 0.05 ? 1 : 0;
      const count = results.violations.length + layout.length + smallCharts;
      failed += count;
      console.log(
        `\n${label(file)} at ${view.width} px (${name}): ` +
          (count ? `${count} problem${count > 1 ? 's' : ''}` : 'no violations') +
          ` (${results.passes.length} axe rules passed` +
          (results.incomplete.length ? `; for a person to review: ${results.incomplete.map((r) => r.id).join(', ')})` : ')'),
      );
      for (const v of results.violations) {
        console.log(`  axe ${v.id} [${v.impact}]: ${v.help}`);
        console.log(`    ${v.helpUrl}`);
        const shown = v.nodes.slice(0, 10);
        for (const node of shown) console.log(`    at ${node.target.join(' ')}`);
        if (v.nodes.length > shown.length) console.log(`    ... and ${v.nodes.length - shown.length} more`);
      }
      for (const p of layout) {
        console.log(`  lac-report ${p.id}: ${p.help}`);
        for (const t of p.targets) console.log(`    at ${t}`);
      }
      if (smallCharts) {
        console.log(`  lac-report small-chart-text: text inside a chart is ${chartPx.toFixed(1)} px at this width, under ${MIN_TEXT_PX} px`);
        console.log('    the charts are drawn for the page and for a phone in pipeline/report/charts.py');
      }
    }
  }
} catch (error) {
  console.error(`a11y: the check could not run: ${error.message}`);
  process.exitCode = 2;
} finally {
  if (browser) await browser.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
if (process.exitCode !== 2) {
  console.log(failed ? `\na11y: failed: ${failed} problem(s) in ${files.length} page(s) at 2 widths` : `\na11y: passed: ${files.length} page(s) at 2 widths, no violations`);
  process.exitCode = failed ? 1 : 0;
}
