// Screenshots of the page for checking by eye: each model × width (1280, 360) × language (en, zh),
// mid-review (the cursor on a word in the middle of the default review). Saves PNGs to
// tests/artifacts/shots/. Uses the browser tests' server and Chromium (tests/browser/helpers.js).
//   node scripts/screenshots.mjs [model…] [--width=1280] [--lang=en] [--full]
import fs from 'node:fs';
import path from 'node:path';
import { startServer, startBrowser, openPage, waitReady, ARTIFACTS, USE_MOCK } from '../tests/browser/helpers.js';

const args = process.argv.slice(2);
const opt = (name, all) => {
  const a = args.find((s) => s.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3).split(',') : all;
};
const models = args.filter((a) => !a.startsWith('--'));
const MODELS = models.length ? models : ['seed-rnn', 'bi-rnn', 'best'];
const WIDTHS = opt('width', ['1280', '360']).map(Number);
const LANGS = opt('lang', ['en', 'zh']);
const full = args.includes('--full');
const extra = opt('hash', [''])[0]; // e.g. --hash=q=f&pad=1 (added to the fragment)
const tag = extra ? `-${extra.replace(/[^\w]+/g, '_')}` : '';
const dir = path.join(ARTIFACTS, 'shots');
fs.mkdirSync(dir, { recursive: true });

const server = await startServer();
const browser = await startBrowser();
console.log(`# ${USE_MOCK ? 'MOCK' : 'real wasm'} module`);
try {
  for (const model of MODELS) {
    for (const width of WIDTHS) {
      for (const lang of LANGS) {
        const { page, errors } = await openPage(browser.context, `${server.url}#m=${model}&lang=${lang}${extra ? `&${extra}` : ''}`, { width, height: 900 });
        await waitReady(page);
        // The first screen, as a fresh visitor sees it.
        await page.screenshot({ path: path.join(dir, `${model}-${width}-${lang}${tag}-first.png`) });
        // Mid-review: halfway between the first word and the end of the first sweep.
        await page.evaluate(() => {
          const scrub = document.querySelector('.ctl-scrub');
          const words = document.querySelectorAll('.chip-word').length;
          const first = Number(scrub.value);
          scrub.value = String(first + Math.floor(words / 2));
          scrub.dispatchEvent(new Event('input', { bubbles: true }));
        });
        await page.waitForTimeout(150);
        const name = `${model}-${width}-${lang}${tag}`;
        await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: full });
        if (!full) await page.screenshot({ path: path.join(dir, `${name}-full.png`), fullPage: true });
        for (const [part, selector] of [['unrolled', '#unrolled'], ['equation', '.p-equation'], ['verdict', '.p-verdict'], ['decision', '.p-decision'], ['heatmap', '.p-heatmap'], ['unit', '.p-unit'], ['compare', '.p-compare']]) {
          await page.locator(selector).screenshot({ path: path.join(dir, `${name}-${part}.png`) });
        }
        if (errors.length) console.log(`${name}: ${errors.join(' | ')}`);
        console.log(path.join(dir, `${name}.png`));
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
