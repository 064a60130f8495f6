// One epoch of a recipe (default: the tutorial's, SimpleRNN 2×64, embedding 100, dropout 0.2,
// Adam 1e-3, batch 128) in the WebAssembly trainer under node, on a training-data file
// (scripts/make-training-data.sh). Prints seconds, reviews/s and validation accuracy per build.
// Wall and CPU seconds (on a loaded machine the CPU time is the comparable figure). A benchmark, not a test. Usage:
//   node bench/train/wasm_trainer.mjs [data file] [simd,scalar] [epochs]
//   (default build/training-data/imdb-full.bin, both builds, 1 epoch)
import os from 'node:os';

import { createTrainer, TUTORIAL_RECIPE } from '../../wasm/api/trainer.js';

const file = process.argv[2] || 'build/training-data/imdb-full.bin';
const builds = (process.argv[3] || 'simd,scalar').split(',');
const epochs = Number(process.argv[4] || 1);

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`data ${file}, recipe ${JSON.stringify(TUTORIAL_RECIPE)}`);
for (const build of builds) {
  const trainer = await createTrainer(file, {}, { simd: build === 'simd' });
  try {
    const info = trainer.info;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      await trainer.runEpoch({ sliceBatches: 8 });
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6;
      const validation = trainer.evaluate('validation');
      const last = trainer.history.at(-1);
      // CPU seconds as well: on a loaded machine the wall time measures the other processes.
      console.log(`${build.padEnd(6)} epoch ${epoch}: ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU, ${(info.trainCount / seconds).toFixed(0)} reviews/s` +
        `  loss ${last.loss.toFixed(4)} acc ${last.accuracy.toFixed(4)} | val_loss ${validation.loss.toFixed(4)} val_acc ${validation.accuracy.toFixed(4)}`);
    }
    if (epochs > 1 || process.env.TEST) {
      const test = trainer.evaluate('test');
      console.log(`${build.padEnd(6)} test accuracy ${test.accuracy.toFixed(4)} (${test.count} reviews)`);
    }
  } finally {
    trainer.dispose();
  }
}
