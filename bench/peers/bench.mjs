// The benchmark driver (scripts/bench.sh runs it): for each model file,
//   1. tokenizes the IMDB test reviews once, with OUR tokenizer (model.tokenize → ids), and writes
//      the id sequences every engine reads;
//   2. exports the weights to ONNX (torch_peer.py) and builds the TF.js model (engines.mjs);
//   3. runs every engine in its own node process (peer.mjs), PyTorch in python, and the browser
//      page (browser.mjs) in headless Chromium;
//   4. checks parity (every engine's probability against ours, max |difference|) and writes the
//      results as Markdown between the markers of docs/benchmarks.md.
// Usage: node bench/peers/bench.mjs [--model FILE]... [--quick] [--no-browser] [--out FILE]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { loadModel } from '../../wasm/api/unroll.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const models = [];
let quick = false;
let browser = true;
let out = join(root, 'docs/benchmarks.md');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--model') models.push(resolve(args[++i]));
  else if (args[i] === '--quick') quick = true;
  else if (args[i] === '--no-browser') browser = false;
  else if (args[i] === '--out') out = resolve(args[++i]);
  else throw new Error(`unknown argument ${args[i]}`);
}
if (!models.length) throw new Error('no --model given');

const PARITY_REVIEWS = 1000;
const LONG_PARITY_REVIEWS = quick ? 50 : 200;
const JOB = {
  warmup: quick ? 5 : 20,
  runs: quick ? 50 : 300,
  budget_s: quick ? 1 : 4,
  batch: 500,
  throughput_budget_s: quick ? 3 : 25,
};
const ENGINE_ORDER = ['ours', 'ort-node', 'ort-web', 'tfjs-wasm', 'tfjs-cpu'];
// A peer whose probabilities differ from ours by more than this computed another function (for
// instance, read the padding of a masked model): its timings are not compared, and the run fails.
const PARITY_LIMIT = 1e-4;
const invalid = [];

function log(message) {
  console.log(`bench: ${message}`);
}

/** Keras pad_sequences([1] + ids): the sequence our Model reads, for any length. */
function sequence(wordIds, maxlen, cfg) {
  let ids = cfg.startToken ? [1, ...wordIds] : [...wordIds];
  if (ids.length > maxlen) ids = cfg.truncating === 'pre' ? ids.slice(ids.length - maxlen) : ids.slice(0, maxlen);
  const padding = new Array(maxlen - ids.length).fill(0);
  return Int32Array.from(cfg.padding === 'pre' ? [...padding, ...ids] : [...ids, ...padding]);
}

function reviews() {
  const dir = join(root, 'data/aclImdb/test');
  if (!existsSync(dir)) throw new Error(`${dir} missing: run scripts/extract-data.sh`);
  const list = [];
  for (const label of ['pos', 'neg']) {
    for (const f of readdirSync(join(dir, label)).sort()) list.push({ file: join(dir, label, f), label: label === 'pos' ? 1 : 0 });
  }
  // Interleave positives and negatives so that any prefix (parity set, a time-capped run) is balanced.
  const pos = list.filter((r) => r.label === 1);
  const neg = list.filter((r) => r.label === 0);
  const mixed = [];
  for (let i = 0; i < Math.max(pos.length, neg.length); i++) {
    if (i < pos.length) mixed.push(pos[i]);
    if (i < neg.length) mixed.push(neg[i]);
  }
  return mixed;
}

function writeIds(workdir, name, arrays, steps) {
  const flat = new Int32Array(arrays.length * steps);
  arrays.forEach((a, i) => flat.set(a, i * steps));
  writeFileSync(join(workdir, name), new Uint8Array(flat.buffer));
  return { file: name, steps, count: arrays.length };
}

function readF32(file) {
  const b = readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let chromium = 'not run';
  try {
    chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  let emcc = 'unknown';
  try {
    emcc = execFileSync('em++', ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } }).split('\n')[0];
  } catch {}
  return { cpu, cores: cpus().length, memGb: (totalmem() / 2 ** 30).toFixed(0), node: process.version, chromium, emcc,
    torch: 'see PyTorch row', load: loadavg().map((v) => v.toFixed(2)).join(' ') };
}

async function prepare(originalPath) {
  const name = basename(originalPath).replace(/\.safetensors$/, '');
  const workdir = join(root, 'build/bench', name);
  mkdirSync(workdir, { recursive: true });
  // A snapshot: a trainer may replace models/*.safetensors while the benchmark runs, and every
  // engine must read the same weights.
  const modelPath = join(workdir, 'model.safetensors');
  writeFileSync(modelPath, readFileSync(originalPath));
  const model = await loadModel(modelPath, { simd: true });
  const cfg = model.info;
  const maxlen = cfg.maxlen;
  const other = maxlen === 80 ? 400 : 80;
  log(`${name}: ${cfg.cell} ${cfg.layers}×${cfg.units}${cfg.bidirectional ? ' bidirectional' : ''}, vocab ${cfg.vocabSize}, embedding ${cfg.embeddingDim}, maxlen ${maxlen}`);

  const t0 = performance.now();
  const list = reviews();
  const atMaxlen = [];
  const longer = [];
  const labels = new Uint8Array(list.length);
  let latencyWords = null;
  list.forEach((r, i) => {
    const tokenized = model.tokenize(readFileSync(r.file, 'utf8'));
    atMaxlen.push(tokenized.ids);
    labels[i] = r.label;
    if (i < LONG_PARITY_REVIEWS || !latencyWords) {
      const words = tokenized.tokens.map((t) => t.id);
      if (i < LONG_PARITY_REVIEWS) longer.push(sequence(words, other, cfg));
      if (!latencyWords && words.length >= 400) latencyWords = words;
    }
  });
  log(`${name}: tokenized ${list.length} reviews in ${((performance.now() - t0) / 1000).toFixed(1)} s (our tokenizer, model.tokenize)`);
  const job = {
    model: modelPath,
    source: originalPath,
    onnx: join(workdir, `${name}.onnx`),
    warmup: JOB.warmup,
    runs: JOB.runs,
    budget_s: JOB.budget_s,
    parity: {
      [`test${PARITY_REVIEWS}`]: writeIds(workdir, `parity-${maxlen}.i32`, atMaxlen.slice(0, PARITY_REVIEWS), maxlen),
      [`long${LONG_PARITY_REVIEWS}`]: writeIds(workdir, `parity-${other}.i32`, longer, other),
    },
    latency: {
      80: writeIds(workdir, 'latency-80.i32', [sequence(latencyWords, 80, cfg)], 80),
      400: writeIds(workdir, 'latency-400.i32', [sequence(latencyWords, 400, cfg)], 400),
    },
    throughput: { ...writeIds(workdir, `all-${maxlen}.i32`, atMaxlen, maxlen), batch: JOB.batch, budget_s: JOB.throughput_budget_s },
  };
  writeFileSync(join(workdir, 'labels.u8'), labels);
  writeFileSync(join(workdir, 'job.json'), JSON.stringify(job, null, 1));
  model.dispose();

  // ONNX export, redone when the model file is newer than the export.
  {
    execFileSync('/usr/bin/python3', [join(here, 'onnx_graph.py'), modelPath, job.onnx], { stdio: ['ignore', 'inherit', 'pipe'] });
  }
  return { name, workdir, job, cfg: { cell: cfg.cell, layers: cfg.layers, units: cfg.units, bidirectional: cfg.bidirectional,
    vocabSize: cfg.vocabSize, embeddingDim: cfg.embeddingDim, maxlen }, labels };
}

function runPeers(prepared) {
  const results = {};
  for (const engine of ENGINE_ORDER) {
    const r = spawnSync(process.execPath, [join(here, 'peer.mjs'), engine, prepared.workdir], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 20 * 60e3 });
    if (r.status !== 0) {
      log(`${engine} FAILED:\n${r.stderr.slice(-3000)}`);
      results[engine] = { failed: r.stderr.trim().split('\n').slice(-3).join(' ') };
      continue;
    }
    process.stdout.write(`bench:   ${r.stdout}`);
    results[engine] = JSON.parse(readFileSync(join(prepared.workdir, `${engine}.json`), 'utf8'));
  }
  // PyTorch, 1 thread, OpenBLAS (scripts/bench.sh sets LD_LIBRARY_PATH).
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const t = spawnSync('/usr/bin/python3', [join(here, 'torch_peer.py'), 'bench', prepared.job.model, prepared.workdir], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (t.status !== 0) {
    log(`torch FAILED:\n${t.stderr.slice(-3000)}`);
    results.torch = { failed: t.stderr.trim().split('\n').slice(-2).join(' ') };
  } else {
    const r = JSON.parse(readFileSync(join(prepared.workdir, 'torch.json'), 'utf8'));
    results.torch = {
      engine: 'torch', label: 'PyTorch CPU (1 thread)', api: `${r.api ?? 'nn.Module forward'}, torch.inference_mode, BLAS: ${r.blas}`,
      version: `torch ${r.version}`, parity: r.parity, latency: r.latency,
      throughput: { reviews: r.throughput.reviews, seconds: r.throughput.seconds, perSecond: r.throughput.per_second, batch: r.throughput.batch },
      peak_rss_mb: r.peak_rss_mb,
    };
    log(`  torch: latency ${Object.entries(r.latency).map(([k, v]) => `${k} ${v.median.toFixed(3)} ms`).join(', ')}; ${r.throughput.per_second.toFixed(0)} reviews/s`);
  }
  return results;
}

/** Max |p_engine − p_ours| per parity set, and accuracy on the parity set for information. */
function parity(prepared, results) {
  const ours = results.ours;
  if (!ours || ours.failed) return;
  for (const [engine, r] of Object.entries(results)) {
    if (r.failed) continue;
    r.maxDiff = {};
    for (const [set, file] of Object.entries(r.parity)) {
      const a = readF32(join(prepared.workdir, file));
      const b = readF32(join(prepared.workdir, ours.parity[set]));
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      if (a.length !== b.length) worst = Infinity;
      r.maxDiff[set] = worst;
    }
    const worst = Math.max(...Object.values(r.maxDiff));
    if (!(worst <= PARITY_LIMIT)) {
      r.invalid = `parity ${fmtDiff(worst)} > ${PARITY_LIMIT}`;
      invalid.push(`${prepared.name} ${engine} (node): ${r.invalid}`);
    }
  }
  const p = readF32(join(prepared.workdir, ours.parity[`test${PARITY_REVIEWS}`]));
  let correct = 0;
  for (let i = 0; i < p.length; i++) correct += (p[i] >= 0.5 ? 1 : 0) === prepared.labels[i] ? 1 : 0;
  prepared.accuracy = correct / p.length;
}

// ------------------------------------------------------------------------------------------ Markdown

const fmtMs = (v) => (v == null ? '–' : v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1));
const fmtRate = (v) => (v == null ? '–' : Math.round(v).toLocaleString('en-US'));
const fmtRatio = (v) => (v == null || !Number.isFinite(v) ? '–' : v >= 10 ? `${v.toFixed(0)}×` : `${v.toFixed(2)}×`);
const fmtDiff = (v) => (v == null ? '–' : v === 0 ? '0' : v.toExponential(1));

function modelTable(prepared, results, page) {
  const c = prepared.cfg;
  const lines = [];
  lines.push(`### ${prepared.name}: ${c.cell} ${c.layers} × ${c.units}${c.bidirectional ? ' bidirectional' : ''}, embedding ${c.embeddingDim}, vocab ${c.vocabSize}, maxlen ${c.maxlen}`);
  lines.push('');
  lines.push(`Weights: \`${relative(prepared.job.source)}\` (${provenance(prepared.job.model)}). ` +
    `Accuracy of the 1,000-review parity set (ours): ${(100 * prepared.accuracy).toFixed(1)}%.`);
  lines.push('');
  lines.push('**node** (every engine in its own process; medians; throughput = reviews/s on the test reviews at maxlen, batches of ' +
    `${JOB.batch}, time-capped at ${JOB.throughput_budget_s} s per engine)`);
  lines.push('');
  lines.push('| engine | batch-1, 80 tokens (ms) | batch-1, 400 tokens (ms) | throughput (reviews/s) | reviews timed | peak RSS (MB) | parity: max \\|Δp\\| 1,000 reviews / ' +
    `${LONG_PARITY_REVIEWS} at ${c.maxlen === 80 ? 400 : 80} tokens | ours faster: 80 / 400 / throughput |`);
  lines.push('|---|---:|---:|---:|---:|---:|---|---|');
  const ours = results.ours;
  const rows = [...ENGINE_ORDER, 'torch'];
  for (const engine of rows) {
    const r = results[engine];
    if (!r) continue;
    if (r.failed) {
      lines.push(`| ${engine} | failed: ${r.failed.replace(/\|/g, '\\|').slice(0, 200)} | | | | | | |`);
      continue;
    }
    const l80 = r.latency['80']?.median;
    const l400 = r.latency['400']?.median;
    const tp = r.throughput?.perSecond;
    const ratios = engine === 'ours' ? '—' : r.invalid ? `**not compared: ${r.invalid}**` :
      `${fmtRatio(l80 / ours.latency['80'].median)} / ${fmtRatio(l400 / ours.latency['400'].median)} / ${fmtRatio(ours.throughput.perSecond / tp)}`;
    const diffs = Object.values(r.maxDiff ?? {}).map(fmtDiff).join(' / ');
    lines.push(`| ${r.label} | ${fmtMs(l80)} | ${fmtMs(l400)} | ${fmtRate(tp)} | ${fmtRate(r.throughput?.reviews)} | ${r.peak_rss_mb?.toFixed(0) ?? '–'} | ${engine === 'ours' ? 'reference' : diffs} | ${ratios} |`);
  }
  lines.push('');
  lines.push('Engines: ' + rows.filter((e) => results[e] && !results[e].failed).map((e) => `${results[e].label}: ${results[e].version}, ${results[e].api}`).join('; ') + '.');
  lines.push('');
  if (page) lines.push(...pageTable(prepared, page));
  return lines;
}

function pageTable(prepared, page) {
  const lines = [];
  if (page.failed) {
    lines.push(`**Chromium**: failed: ${page.failed}`, '');
    return lines;
  }
  lines.push(`**Chromium** (${page.browser}, headless, a fresh page per engine, one after another; same id sequences; throughput time-capped at ${page.budgetS} s per engine)`);
  lines.push('');
  lines.push('| engine | batch-1, 80 tokens (ms) | batch-1, 400 tokens (ms) | throughput (reviews/s) | reviews timed | parity: max \\|Δp\\| vs ours (node), 1,000 reviews | ours faster: 80 / 400 / throughput |');
  lines.push('|---|---:|---:|---:|---:|---|---|');
  const ours = page.results.ours;
  for (const [engine, r] of Object.entries(page.results)) {
    if (r.failed) {
      lines.push(`| ${engine} | failed: ${r.failed.slice(0, 200)} | | | | | |`);
      continue;
    }
    const ratios = engine === 'ours' || !ours || ours.failed ? '—' : r.invalid ? `**not compared: ${r.invalid}**` :
      `${fmtRatio(r.latency['80'].median / ours.latency['80'].median)} / ${fmtRatio(r.latency['400'].median / ours.latency['400'].median)} / ${fmtRatio(ours.throughput.perSecond / r.throughput.perSecond)}`;
    lines.push(`| ${r.label} | ${fmtMs(r.latency['80'].median)} | ${fmtMs(r.latency['400'].median)} | ${fmtRate(r.throughput.perSecond)} | ${fmtRate(r.throughput.reviews)} | ${fmtDiff(r.maxDiff)} | ${ratios} |`);
  }
  lines.push('');
  return lines;
}

/** Targets of the benchmark issue, checked on this run's figures. */
function targets(prepared, results, page) {
  const o = results.ours;
  if (!o || o.failed) return [];
  const lines = [`Targets (${prepared.name}, this run):`, ''];
  const check = (label, ours, peer, factor, higherIsBetter) => {
    if (peer == null || ours == null) return;
    const ratio = higherIsBetter ? ours / peer : peer / ours;
    const met = ratio >= factor;
    lines.push(`- ${met ? 'met' : '**missed**'}: ${label}: ${fmtRatio(ratio)} (target ≥ ${factor}×)`);
  };
  const lat = (r, k) => r && !r.failed && !r.invalid ? r.latency[k]?.median : null;
  const tp = (r) => r && !r.failed && !r.invalid ? r.throughput?.perSecond : null;
  for (const k of ['80', '400']) {
    check(`batch-1 ${k} tokens vs TF.js wasm (node)`, lat(o, k), lat(results['tfjs-wasm'], k), 40, false);
    check(`batch-1 ${k} tokens vs ONNX Runtime Web (node)`, lat(o, k), lat(results['ort-web'], k), 4, false);
    check(`batch-1 ${k} tokens vs ONNX Runtime Node (native)`, lat(o, k), lat(results['ort-node'], k), 1, false);
  }
  check('throughput vs ONNX Runtime Web (node)', tp(o), tp(results['ort-web']), 2, true);
  check('throughput vs ONNX Runtime Node (native)', tp(o), tp(results['ort-node']), 1, true);
  check('throughput vs PyTorch CPU', tp(o), tp(results.torch), 1, true);
  if (page && !page.failed) {
    const po = page.results.ours;
    for (const k of ['80', '400']) {
      check(`Chromium batch-1 ${k} tokens vs TF.js wasm`, lat(po, k), lat(page.results['tfjs-wasm'], k), 40, false);
      check(`Chromium batch-1 ${k} tokens vs ONNX Runtime Web`, lat(po, k), lat(page.results['ort-web'], k), 4, false);
    }
    check('Chromium throughput vs ONNX Runtime Web', tp(po), tp(page.results['ort-web']), 2, true);
  }
  lines.push('');
  return lines;
}

function relative(p) {
  return p.startsWith(root + '/') ? p.slice(root.length + 1) : p;
}

function provenance(modelPath) {
  try {
    const bytes = readFileSync(modelPath);
    const length = Number(bytes.readBigUInt64LE(0));
    const meta = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')).__metadata__;
    const p = JSON.parse(meta.provenance || '{}');
    if (p.command_line) return `trained: \`${p.command_line.replace(/^\S*\//, '')}\``;
    return p.source ? `from ${p.source}` : 'provenance not recorded';
  } catch {
    return 'provenance unreadable';
  }
}

function writeDoc(sections, info, command) {
  const begin = '<!-- bench:begin (written by scripts/bench.sh; do not edit by hand) -->';
  const end = '<!-- bench:end -->';
  const body = [begin, '',
    `Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`${command}\`.`, '',
    `Machine: ${info.cpu}, ${info.cores} cores, ${info.memGb} GB; load average at start ${info.load}, at end ${loadavg().map((v) => v.toFixed(2)).join(' ')} ` +
    '(other work shares this machine: compare ratios from one run, not absolute figures across runs).',
    `Versions: node ${info.node}; ${info.chromium}; ${info.emcc}.`, '',
    ...sections, end].join('\n');
  let doc = existsSync(out) ? readFileSync(out, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  if (!doc.includes(begin) || !doc.includes(end)) doc += `\n${begin}\n${end}\n`;
  doc = doc.slice(0, doc.indexOf(begin)) + body + doc.slice(doc.indexOf(end) + end.length);
  writeFileSync(out, doc);
  log(`wrote ${relative(out)}`);
}

// ------------------------------------------------------------------------------------------ main

const info = machine();
log(`machine: ${info.cpu}, load ${info.load}`);
const sections = [];
for (const modelPath of models) {
  const prepared = await prepare(modelPath);
  const results = runPeers(prepared);
  parity(prepared, results);
  let page = null;
  if (browser) {
    const { runPage } = await import('./browser.mjs');
    page = await runPage(prepared, { quick, oursNode: results.ours }).catch((e) => ({ failed: e.message }));
    for (const [engine, r] of Object.entries(page.results ?? {})) {
      if (r.failed || r.maxDiff <= PARITY_LIMIT) continue;
      r.invalid = `parity ${fmtDiff(r.maxDiff)} > ${PARITY_LIMIT}`;
      invalid.push(`${prepared.name} ${engine} (Chromium): ${r.invalid}`);
    }
  }
  sections.push(...modelTable(prepared, results, page), ...targets(prepared, results, page));
  writeFileSync(join(prepared.workdir, 'results.json'), JSON.stringify({ results, page }, null, 1));
}
if (invalid.length) sections.push(`**This run is not valid**: ${invalid.length} peer(s) computed other probabilities than ours (limit ${PARITY_LIMIT}): ${invalid.join('; ')}.`, '');
writeDoc(sections, info, process.env.BENCH_COMMAND || `node bench/peers/bench.mjs ${args.join(' ')}`);
if (invalid.length) {
  console.error(`bench: FAILED parity, so these ratios are not comparisons: ${invalid.join('; ')}`);
  process.exitCode = 1;
}
