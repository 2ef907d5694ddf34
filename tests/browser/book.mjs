// The built book, read as a reader reads it: in Chromium (Debian's, headless),
// driven by Playwright, served from this machine. `.ci/browser` builds the
// book and runs this; run it yourself the same way (see the README).
//
//   node tests/browser/book.mjs BOOK_DIR SCREENSHOT_DIR
//
// Each check prints one line, `ok` or `FAILED` with the page and what was
// seen; the exit status is 1 if any failed. The checks:
//   pages       every page of SUMMARY.md loads with no console error, no
//               page error and no failed request;
//   offline     no request leaves this machine (the book works offline);
//   directives  no raw `{{#` directive and no ANCHOR line is visible;
//   highlight   every Rust block is highlighted, and a block with hidden
//               lines shows the whole program when its eye button is pressed;
//   run         no Run button (the public playground lacks the course's
//               crates), and each Rust block is followed by how to run or
//               check it locally (`cargo ...`);
//   search      searching for "errdefer" finds chapter 3 and opens it;
//   pictures    every timeline renders, readable (WCAG contrast) in each of
//               mdBook's five themes (screenshots of two pages in a light
//               and a dark theme, in SCREENSHOT_DIR);
//   exercises   every exercise's solution is hidden until it is opened;
//   print       print.html has every chapter, in order, and every timeline.

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, extname, normalize } from 'node:path';

const [bookDir, shotDir] = process.argv.slice(2);
if (!bookDir || !shotDir) {
    console.error('usage: node tests/browser/book.mjs BOOK_DIR SCREENSHOT_DIR');
    process.exit(2);
}
mkdirSync(shotDir, { recursive: true });

// The pages, in the order of SUMMARY.md (the sidebar's).
const summary = readFileSync(new URL('../../src/SUMMARY.md', import.meta.url), 'utf8');
const pages = [...summary.matchAll(/\]\(([^)]+)\.md\)/g)].map((m) => `${m[1]}.html`);

// A static server for the built book, on this machine only.
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
    '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json' };
const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    let file = join(bookDir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(normalize(bookDir)) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
});

let failures = 0;
// A check that cannot finish fails, and says where it stopped.
process.on('uncaughtException', (error) => {
    console.log(`FAILED  (a check stopped): ${error.message.split('\n')[0]}`);
    process.exit(1);
});
function report(check, problems) {
    if (problems.length === 0) {
        console.log(`ok      ${check}`);
    } else {
        failures += 1;
        console.log(`FAILED  ${check}`);
        for (const problem of problems) console.log(`        ${problem}`);
    }
}

/// A page of the book in `theme`, with every request watched.
async function open(pageName, theme, watch) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.addInitScript((chosen) => localStorage.setItem('mdbook-theme', chosen), theme);
    const page = await context.newPage();
    page.on('console', (message) => {
        if (message.type() === 'error') watch.errors.push(`${pageName}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => watch.errors.push(`${pageName}: page error: ${error.message}`));
    page.on('requestfailed', (request) =>
        watch.errors.push(`${pageName}: request failed: ${request.url()}`));
    page.on('response', (response) => {
        if (response.status() >= 400) watch.errors.push(`${pageName}: ${response.status()} for ${response.url()}`);
    });
    await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
        watch.outside.push(`${pageName}: ${url}`);
        return route.abort();
    });
    await page.goto(`${origin}/${pageName}`, { waitUntil: 'load' });
    return { page, context };
}

const watch = { errors: [], outside: [] };
const problems = { directives: [], highlight: [], run: [], exercises: [] };
let captionCount = 0;
for (const pageName of pages) {
    const { page, context } = await open(pageName, 'light', watch);

    const text = await page.locator('main').innerText();
    for (const raw of ['{{#', 'ANCHOR']) {
        if (text.includes(raw)) problems.directives.push(`${pageName}: shows "${raw}"`);
    }

    const blocks = page.locator('main pre > code.language-rust');
    for (let i = 0; i < (await blocks.count()); i += 1) {
        const block = blocks.nth(i);
        const where = `${pageName}, Rust block ${i + 1}`;
        // Highlighted: highlight.js wrapped its tokens (keywords, strings...)
        // in spans of its own; mdBook's `hljs` class alone says nothing.
        if ((await block.locator('span[class^="hljs-"]').count()) === 0) {
            problems.highlight.push(`${where}: not highlighted`);
        }
        const hidden = await block.locator('.boring').count();
        if (hidden > 0) {
            const before = await block.innerText();
            await block.evaluate((code) => code.parentElement.querySelector('button[title="Show hidden lines"]').click());
            const whole = await block.innerText();
            if (whole.length <= before.length) problems.highlight.push(`${where}: the eye button shows no hidden line`);
        }
    }
    if ((await page.locator('.play-button, button[title="Run this code"]').count()) > 0) {
        problems.run.push(`${pageName}: a Run button`);
    }
    // Each caption (the file a listing shows, tests/book_structure.rs
    // checks which) sits right under its listing, set apart from the prose.
    const captions = await page.locator('main p.caption').evaluateAll((all) => all.map((p) => ({
        text: p.textContent.slice(0, 60),
        under: p.previousElementSibling?.tagName ?? '',
        style: getComputedStyle(p).fontStyle,
    })));
    captionCount += captions.length;
    for (const caption of captions) {
        if (caption.under !== 'PRE' || caption.style !== 'italic') {
            problems.run.push(`${pageName}: the caption "${caption.text}" is not set right under a listing, in italics (under ${caption.under}, ${caption.style})`);
        }
    }

    const solutions = page.locator('main details');
    for (let i = 0; i < (await solutions.count()); i += 1) {
        const details = solutions.nth(i);
        const where = `${pageName}, exercise solution ${i + 1}`;
        const code = details.locator('pre').first();
        if ((await details.evaluate((d) => d.open)) || (await code.isVisible())) {
            problems.exercises.push(`${where}: visible before it is opened`);
        }
        await details.locator('summary').click();
        if (!(await code.isVisible())) problems.exercises.push(`${where}: still hidden once opened`);
    }
    await context.close();
}
report(`pages (${pages.length}): load with no error and no failed request`, watch.errors);
report('offline: no request leaves this machine', watch.outside);
report('directives: no raw {{# or ANCHOR is visible', problems.directives);
report('highlight: every Rust block is highlighted, hidden lines can be shown', problems.highlight);
if (captionCount === 0) problems.run.push('no caption found on any page: is the search broken?');
report(`run: no Run button; the ${captionCount} captions sit under their listings`, problems.run);
report('exercises: every solution is hidden until opened', problems.exercises);

// Search: press `s`, type, and follow the first result.
{
    const found = [];
    const { page, context } = await open('index.html', 'light', watch);
    await page.keyboard.press('s');
    // Typed, key by key: the search runs on each key's release.
    await page.locator('#mdbook-searchbar').pressSequentially('errdefer');
    const results = page.locator('#mdbook-searchresults a');
    await results.first().waitFor({ timeout: 5000 }).catch(() => {});
    const hrefs = await results.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    if (!hrefs.some((href) => href.startsWith('ch03-staged-allocation.html'))) {
        found.push(`the results do not include chapter 3: ${JSON.stringify(hrefs.slice(0, 5))}`);
    } else {
        await results.first().click();
        await page.waitForLoadState('networkidle');
        const body = await page.locator('main').innerText();
        if (!body.includes('errdefer')) found.push(`the first result, ${page.url()}, does not say errdefer`);
    }
    await context.close();
    report('search: "errdefer" finds chapter 3 and opens a page about it', found);
}

let pictureCount = 0; // the timelines of all pages, for the print page
// Pictures: every timeline is drawn, and reads in each of mdBook's five
// themes: its text contrasts with the page's background as WCAG asks of
// text (4.5:1), its lanes and marks as it asks of graphics (3:1).
// Screenshots of two pages in a light and a dark theme.
const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];
const MIN_TEXT_CONTRAST = 4.5;
const MIN_GRAPHICS_CONTRAST = 3;
{
    const drawn = [];
    const withPictures = [];
    const lowest = { text: {}, graphics: {} }; // per theme, for the report
    for (const theme of THEMES) {
        for (const pageName of theme === 'light' ? pages : withPictures) {
            const { page, context } = await open(pageName, theme, watch);
            const pictures = page.locator('main svg.timeline');
            const count = await pictures.count();
            if (theme === 'light') {
                pictureCount += count;
                if (count > 0) withPictures.push(pageName);
            }
            for (let i = 0; i < count; i += 1) {
                const picture = pictures.nth(i);
                const box = await picture.boundingBox();
                const where = `${pageName} (${theme}), picture ${i + 1}`;
                if (!box || box.width < 100 || box.height < 40) {
                    drawn.push(`${where}: not drawn (${JSON.stringify(box)})`);
                    continue;
                }
                // Its text, as drawn (a picture wider than the column is
                // scaled down), is no smaller than the page's code text.
                const sizes = await picture.evaluate((svg) => {
                    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    const texts = [...svg.querySelectorAll('text')];
                    const smallest = Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize)));
                    const code = document.querySelector('main p code');
                    return { drawn: smallest * scale, code: code ? parseFloat(getComputedStyle(code).fontSize) : NaN };
                });
                if (!(sizes.drawn >= sizes.code - 0.05)) {
                    drawn.push(`${where}: its smallest text is drawn at ${sizes.drawn.toFixed(1)}px, smaller than the page's code text (${sizes.code}px)`);
                }
                const contrast = await picture.evaluate(contrasts);
                for (const kind of ['text', 'graphics']) {
                    lowest[kind][theme] = Math.min(lowest[kind][theme] ?? Infinity, contrast[kind]);
                }
                if (!Number.isFinite(contrast.text) || !Number.isFinite(contrast.graphics)) {
                    drawn.push(`${where}: no contrast could be measured (${JSON.stringify(contrast)})`);
                } else if (contrast.text < MIN_TEXT_CONTRAST) {
                    drawn.push(`${where}: its text has a contrast of ${contrast.text.toFixed(2)}:1 with the background, under ${MIN_TEXT_CONTRAST}:1`);
                }
                if (contrast.graphics < MIN_GRAPHICS_CONTRAST) {
                    drawn.push(`${where}: its lanes have a contrast of ${contrast.graphics.toFixed(2)}:1 with the background, under ${MIN_GRAPHICS_CONTRAST}:1`);
                }
                if (i === 0 && ['light', 'coal'].includes(theme)
                    && ['ch03-staged-allocation.html', 'ch05-watch-it-leak.html'].includes(pageName)) {
                    await picture.scrollIntoViewIfNeeded();
                    await page.screenshot({ path: join(shotDir, `${pageName.replace('.html', '')}-${theme}.png`) });
                }
            }
            await context.close();
        }
    }
    const lowestOf = (kind) => THEMES.map((t) => `${t} ${lowest[kind][t]?.toFixed(1)}`).join(', ');
    report(`pictures: every timeline renders and reads in the ${THEMES.join(', ')} themes `
        + `(lowest contrast of text: ${lowestOf('text')}; of lanes: ${lowestOf('graphics')}; `
        + `screenshots in ${shotDir})`, drawn);
}

// Runs in the page, on an svg.timeline: the lowest contrast ratio (WCAG 2)
// of its text, and of its lanes and marks, with the background behind it.
function contrasts(svg) {
    const rgb = (colour) => colour.match(/[\d.]+/g).map(Number);
    const luminance = (colour) => {
        const [r, g, b] = rgb(colour).slice(0, 3).map((c) => {
            const s = c / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
        const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (light + 0.05) / (dark + 0.05);
    };
    // The first ancestor with a background that is not transparent.
    let background = 'rgb(255, 255, 255)';
    for (let node = svg; node instanceof Element; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (rgb(colour)[3] !== 0) {
            background = colour;
            break;
        }
    }
    const lowest = (selector, property) => Math.min(...[...svg.querySelectorAll(selector)]
        .map((element) => ratio(getComputedStyle(element)[property], background)));
    return {
        text: lowest('text', 'fill'),
        graphics: Math.min(lowest('.bar', 'stroke'), lowest('circle.event, rect.event', 'fill')),
    };
}

// The print page: every chapter, in the sidebar's order, with its pictures.
{
    const printed = [];
    const titles = [...summary.matchAll(/\[([^\]]+)\]\([^)]+\.md\)/g)].map((m) => m[1]);
    const { page, context } = await open('print.html', 'light', watch);
    const headings = await page.locator('main h1').allInnerTexts();
    let from = 0;
    for (const title of titles) {
        const at = headings.indexOf(title, from);
        if (at < 0) printed.push(`"${title}" is not printed after "${titles[titles.indexOf(title) - 1] ?? 'the start'}"`);
        else from = at + 1;
    }
    const pictures = page.locator('main svg.timeline');
    const count = await pictures.count();
    if (count !== pictureCount) printed.push(`${count} timelines printed, the pages have ${pictureCount}`);
    for (let i = 0; i < count; i += 1) {
        const box = await pictures.nth(i).boundingBox();
        if (!box || box.width < 100 || box.height < 40) printed.push(`printed picture ${i + 1} is not drawn`);
    }
    await context.close();
    report(`print: print.html has the ${titles.length} chapters in order and the ${pictureCount} timelines`, printed);
}

await browser.close();
server.close();
process.exit(failures > 0 ? 1 : 0);
