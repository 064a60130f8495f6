// The in-browser trainer in headless Chromium against the native trainers (issue #18's numbers):
// the tutorial's recipe (SimpleRNN 2×64, embedding 100, dropout 0.2, Adam 1e-3, batch 128, maxlen
// 80) on the full data, N epochs each way, single-threaded on every side (the wasm trainer has no
// threads, so tools/train --threads 1). Two native runs:
// - tools/train (the AVX2 trainer the shipped models come from): the time to beat, and its accuracy;
//   it draws from the standard library's random distributions, so its run is not the page's.
// - tools/train_session: the page's own loop (train::Session, portable random stream) natively, on
//   the same training-data file and seed as the page: the same run, so the accuracy comparison is
//   like for like (only the kernels' floating-point order differs).
// Each prints every epoch's seconds and metrics and the best epoch's test accuracy (all keep the
// epoch with the best validation accuracy). The browser side is the page itself on the Vite dev
// server, driven as a learner would (open training, full data, the tutorial's recipe with the seed
// typed in, Start), fed build/training-data/imdb-full.bin; its main thread is watched for long
// tasks meanwhile. A benchmark, not a test: it takes minutes. Needs scripts/build-wasm.sh,
// scripts/make-training-data.sh and the native tools (cmake --build --preset native-release
// --target train train_session).
// Usage: node bench/train/browser_epoch.mjs [epochs=4] [--seed=42] [--skip-native] [--skip-browser]
// Environment: TRAIN_BIN (default build/native-release/tools/train), SESSION_BIN (default
// build/native-release/tools/train_session).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, startBrowser, waitReady, ROOT } from '../../tests/browser/helpers.js';

const args = process.argv.slice(2);
const epochs = Number(args.find((a) => /^\d+$/.test(a)) || 4);
const seed = Number(args.find((a) => a.startsWith('--seed='))?.slice(7) ?? 42);
const DATA_FILE = path.join(ROOT, 'build', 'training-data', 'imdb-full.bin');
/** ppid and CPU ticks (user + system) of process `pid` (Linux /proc), or null. */
function stat(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }; // stat fields 4, 14, 15
  } catch {
    return null;
  }
}

/**
 * CPU seconds of this benchmark's own Chromium renderers (where the page and its training worker
 * run): renderer processes descended from this node process, so that other browsers on a shared
 * machine do not count.
 */
function rendererCpuSeconds() {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmdline;
    try { cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmdline.includes('--type=renderer')) continue;
    let ours = false;
    for (let p = Number(pid), hops = 0; p > 1 && hops < 16; hops++) {
      if (p === process.pid) { ours = true; break; }
      p = stat(p)?.ppid ?? 0;
    }
    if (ours) ticks += stat(pid)?.ticks ?? 0;
  }
  return ticks / 100; // USER_HZ
}

const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`${os.cpus().length} cores, load average ${load()}; ${epochs} epochs of the tutorial's recipe, seed ${seed}`);

if (!args.includes('--skip-native')) {
  const train = process.env.TRAIN_BIN || path.join(ROOT, 'build', 'native-release', 'tools', 'train');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'unroll-bench-')), 'native.safetensors');
  // /usr/bin/time: the whole run's CPU seconds (reading and tokenizing the reviews included). One
  // epoch without the test first: its CPU bounds one epoch's from above.
  const native = (extra, what) => {
    const run = spawnSync('/usr/bin/time', ['-f', `native CPU %U s user + %S s system (${what})`, train, '--data', path.join(ROOT, 'data', 'aclImdb'),
      '--output', out, '--threads', '1', '--seed', String(seed), ...extra], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`tools/train failed:\n${run.stderr}`);
    for (const line of run.stderr.split('\n')) if (/^epoch \d+:|^test accuracy|^native CPU|^wrote/.test(line)) console.log(`native  ${line}`);
  };
  native(['--epochs', '1', '--skip-test'], 'whole run of 1 epoch: data preparation, the epoch, validation');
  native(['--epochs', String(epochs)], `whole run of ${epochs} epochs, test included`);
  const sessionBin = process.env.SESSION_BIN || path.join(ROOT, 'build', 'native-release', 'tools', 'train_session');
  const same = spawnSync(sessionBin, ['--data-file', DATA_FILE, '--epochs', String(epochs), '--seed', String(seed)], { encoding: 'utf8' });
  if (same.status !== 0) throw new Error(`tools/train_session failed:\n${same.stderr}`);
  for (const line of same.stdout.trim().split('\n')) console.log(`session ${line}`);
}

if (!args.includes('--skip-browser')) {
  // The page as a learner uses it: open training, choose the full data, keep the tutorial's recipe,
  // press Start. Figures are read from what the page shows (the Keras log's ms/step, the model card's
  // provenance), CPU from /proc, long tasks from the page's main thread.
  const server = await startServer();
  const browser = await startBrowser();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.setDefaultTimeout(180_000);
    await page.goto(server.url, { timeout: 180_000 }); // a cold dev server on a busy machine is slow
    await waitReady(page);
    await page.click('#train-open');
    await page.waitForFunction(() => /Training data ready/.test(document.getElementById('train-status')?.textContent || ''));
    await page.check('#train-data-full');
    await page.fill('#train-epochs', String(epochs));
    await page.fill('#train-seed', String(seed));
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask' });
    });
    const started = Date.now();
    await page.click('#train-start');
    // Renderer CPU from an epoch's first batch to the start of its validation: the epoch's training
    // (polled every 100 ms).
    const cpu = [];
    let epochCpu = null;
    let status = '';
    let finishedAt = null;
    for (;;) {
      const now = await page.evaluate(() => ({ status: document.getElementById('train-status').textContent, phase: document.getElementById('training').dataset.phase, t: performance.now() }));
      if (now.status !== status) {
        if (/^Epoch \d+ of/.test(now.status) && !/^Epoch \d+ of/.test(status)) epochCpu = rendererCpuSeconds();
        if (/^Measuring validation/.test(now.status) && epochCpu !== null) { cpu.push(rendererCpuSeconds() - epochCpu); epochCpu = null; }
        status = now.status;
      }
      if (now.phase === 'finished' || now.phase === 'error') { finishedAt = now.t; break; }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const wall = (Date.now() - started) / 1000;
    await page.waitForFunction(() => document.documentElement.dataset.state === 'ready' && document.getElementById('model-select').value === 'yours');
    const shown = await page.evaluate(() => ({
      log: document.getElementById('train-log').textContent,
      provenance: document.querySelector('#model-card .provenance pre')?.textContent,
      tasks: window.__longTasks,
      status: document.getElementById('train-status').textContent,
    }));
    const lines = shown.log.split('\n').filter((l) => /val_accuracy/.test(l));
    if (!lines.length) throw new Error(`no epoch finished: ${shown.status}`);
    const provenance = JSON.parse(shown.provenance);
    const steps = Number(/^\s*\d+\/(\d+)/.exec(lines[0])[1]);
    console.log(`browser Chromium (headless, playwright-core), ${provenance.trainer}; ${steps} batches per epoch`);
    lines.forEach((line, i) => {
      const ms = Number(/ (\d+)ms\/step/.exec(line)?.[1]);
      console.log(`browser epoch ${i + 1}: ${line.replace(/^.*?\] - /, '')} | ${(ms * steps / 1000).toFixed(1)} s (ms/step × steps), renderer CPU ${cpu[i]?.toFixed(1) ?? '?'} s`);
    });
    console.log(`browser best epoch ${provenance.best_epoch}: val_acc ${provenance.validation_accuracy.toFixed(4)}, test accuracy ${provenance.test_accuracy.toFixed(4)}`);
    const during = shown.tasks.filter(([t0]) => t0 < finishedAt).map(([, d]) => Math.round(d));
    console.log(`browser whole run ${wall.toFixed(0)} s (validation and test evaluations included); main-thread tasks over 50 ms while training: ${during.length}, longest ${Math.max(0, ...during)} ms`);
    if (errors.length) console.log(`page errors: ${errors.join(' | ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}
console.log(`load average ${load()}`);
