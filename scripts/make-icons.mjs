// Renders web/favicon.svg into the PNG app icons the web app manifest lists (web/icons/), with
// Debian's Chromium (playwright-core). Run after changing the SVG: node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(root, 'web', 'favicon.svg'), 'utf8');
const out = path.join(root, 'web', 'icons');
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await page.screenshot({ path: path.join(out, `icon-${size}.png`), omitBackground: true });
    await page.close();
    console.log(`web/icons/icon-${size}.png`);
  }
} finally {
  await browser.close();
}
