#!/usr/bin/python3
"""PyTorch peer of scripts/bench.sh: our model file → an equivalent PyTorch model, and PyTorch's
own CPU figures (the ONNX peers' graph is onnx_graph.py's). Debian's python3-torch (1.13);
nothing from pip.

    torch_peer.py random OUT.safetensors CELL LAYERS BIDIRECTIONAL VOCAB EMBEDDING UNITS MAXLEN WORDS.txt
        A model of that shape with PyTorch's default random weights (for benchmarking before a
        trained model exists), F32, vocabulary = the first VOCAB-3 distinct lines of WORDS.txt.

    torch_peer.py bench MODEL.safetensors WORKDIR
        Reads WORKDIR/job.json (written by bench/peers/bench.mjs: id files, lengths, repetitions),
        writes WORKDIR/torch.json: probabilities for the parity sets, batch-1 latencies, batched
        throughput and peak RSS. Run with 1 thread; scripts/bench.sh points LD_LIBRARY_PATH at
        OpenBLAS.
"""

import json
import os
import resource
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

from model_file import read_model


class Net(nn.Module):
    """Embedding → recurrent layers → last state(s) → Linear → sigmoid, like our Model."""

    def __init__(self, config):
        super().__init__()
        self.cell = config["cell"]
        self.units = config["units"]
        self.bidirectional = bool(config["bidirectional"])
        self.embedding = nn.Embedding(config["vocab_size"], config["embedding_dim"])
        module = {"simple_rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[self.cell]
        kwargs = dict(input_size=config["embedding_dim"], hidden_size=self.units,
                      num_layers=config["layers"], batch_first=True,
                      bidirectional=self.bidirectional)
        if self.cell == "simple_rnn":
            kwargs["nonlinearity"] = "tanh"
        self.rnn = module(**kwargs)
        self.head = nn.Linear(self.units * (2 if self.bidirectional else 1), 1)

    def forward(self, ids, lengths=None):
        """ids [batch, steps]. lengths: a masked model's words per row, left-aligned in ids
        (left_aligned below); the rows are packed so that each direction reads only its words."""
        if lengths is not None:
            packed = nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True,
                                                       enforce_sorted=False)
            _, h = self.rnn(packed)
            h = h[0] if self.cell == "lstm" else h  # (h_n, c_n) for an LSTM
            # h_n [layers·directions, batch, units]: the last layer's forward state after each
            # row's last word, and its backward state after its first, as Keras' masked Bidirectional.
            final = torch.cat([h[-2], h[-1]], dim=1) if self.bidirectional else h[-1]
            return torch.sigmoid(self.head(final))[:, 0]
        out, _ = self.rnn(self.embedding(ids))
        if self.bidirectional:  # [h_{T-1}(fwd), h_0(bwd)], as Keras' Bidirectional
            final = torch.cat([out[:, -1, :self.units], out[:, 0, self.units:]], dim=1)
        else:
            final = out[:, -1]
        return torch.sigmoid(self.head(final))[:, 0]


def left_aligned(ids):
    """A masked model's batch for packing: (ids with each row's words first, in order, trimmed to
    the longest row; lengths). Id 0 is padding (docs/model-format.md)."""
    words = ids != 0
    order = torch.from_numpy(np.argsort(~words.numpy(), axis=1, kind="stable"))
    lengths = words.sum(dim=1)
    return torch.gather(ids, 1, order)[:, :int(lengths.max())].contiguous(), lengths


def gru_to_torch(t):
    """Our GRU gate blocks z, r, n (columns of the transposed kernel) → PyTorch's r, z, n rows."""
    z, r, n = np.split(t, 3, axis=0)
    return np.concatenate([r, z, n], axis=0)


def build(path):
    config, w = read_model(path)
    net = Net(config)
    directions = 2 if config["bidirectional"] else 1
    with torch.no_grad():
        net.embedding.weight.copy_(torch.from_numpy(w["embedding"]))
        for layer in range(config["layers"]):
            for direction in range(directions):
                prefix = "rnn.%d.%s." % (layer, ["fwd", "bwd"][direction])
                suffix = "l%d%s" % (layer, "_reverse" if direction else "")
                w_ih = w[prefix + "kernel"].T
                w_hh = w[prefix + "recurrent_kernel"].T
                b_ih = w[prefix + "bias"]
                b_hh = w.get(prefix + "recurrent_bias", np.zeros_like(b_ih))
                if config["cell"] == "gru":
                    w_ih, w_hh = gru_to_torch(w_ih), gru_to_torch(w_hh)
                    b_ih, b_hh = gru_to_torch(b_ih), gru_to_torch(b_hh)
                for name, value in (("weight_ih_", w_ih), ("weight_hh_", w_hh),
                                    ("bias_ih_", b_ih), ("bias_hh_", b_hh)):
                    getattr(net.rnn, name + suffix).copy_(torch.from_numpy(np.ascontiguousarray(value)))
        net.head.weight.copy_(torch.from_numpy(np.ascontiguousarray(w["head.kernel"].T)))
        net.head.bias.copy_(torch.from_numpy(w["head.bias"]))
    net.eval()
    return config, net


def write_random(out, cell, layers, bidirectional, vocab, embedding, units, maxlen, words_path):
    config = {"cell": cell, "vocab_size": vocab, "embedding_dim": embedding, "units": units,
              "layers": layers, "bidirectional": bidirectional, "maxlen": maxlen,
              "padding": "pre", "truncating": "pre", "start_token": True}
    torch.manual_seed(1234)
    net = Net(config)
    with torch.no_grad():
        net.embedding.weight.uniform_(-0.5, 0.5)
    words, seen = [], set()
    with open(words_path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and w not in seen and "\n" not in w:
                seen.add(w)
                words.append(w)
            if len(words) == vocab - 3:
                break
    assert len(words) == vocab - 3, (words_path, len(words))
    g = {"simple_rnn": 1, "lstm": 4, "gru": 3}[cell]
    tensors = [("embedding", [vocab, embedding], net.embedding.weight.detach().numpy())]
    for layer in range(layers):
        for direction in range(2 if bidirectional else 1):
            suffix = "l%d%s" % (layer, "_reverse" if direction else "")
            prefix = "rnn.%d.%s." % (layer, ["fwd", "bwd"][direction])
            w_ih = getattr(net.rnn, "weight_ih_" + suffix).detach().numpy()
            w_hh = getattr(net.rnn, "weight_hh_" + suffix).detach().numpy()
            b_ih = getattr(net.rnn, "bias_ih_" + suffix).detach().numpy()
            b_hh = getattr(net.rnn, "bias_hh_" + suffix).detach().numpy()
            if cell == "gru":  # PyTorch r, z, n → ours z, r, n (the swap is its own inverse)
                w_ih, w_hh, b_ih, b_hh = (gru_to_torch(a) for a in (w_ih, w_hh, b_ih, b_hh))
                biases = [("bias", b_ih), ("recurrent_bias", b_hh)]
            else:
                biases = [("bias", b_ih + b_hh)]
            tensors.append((prefix + "kernel", [w_ih.shape[1], g * units], w_ih.T))
            tensors.append((prefix + "recurrent_kernel", [units, g * units], w_hh.T))
            tensors += [(prefix + name, [g * units], b) for name, b in biases]
    tensors.append(("head.kernel", [net.head.weight.shape[1], 1], net.head.weight.detach().numpy().T))
    tensors.append(("head.bias", [1], net.head.bias.detach().numpy()))
    header = {"__metadata__": {
        "format": "unroll-rnn", "format_version": "1", "config": json.dumps(config),
        "vocabulary": "\n".join(words),
        "provenance": json.dumps({"source": "bench/peers/torch_peer.py random (untrained)",
                                  "torch": torch.__version__, "seed": 1234})}}
    blobs, offset = [], 0
    for name, shape, value in tensors:
        blob = np.ascontiguousarray(value, dtype="<f4").tobytes()
        assert len(blob) == 4 * int(np.prod(shape)), name
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(out + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    os.replace(out + ".tmp", out)
    print("torch_peer: wrote %s (random %s)" % (out, json.dumps(config)))


def read_ids(path, steps):
    ids = np.fromfile(path, dtype=np.int32)
    return torch.from_numpy(ids.reshape(-1, steps).astype(np.int64))


def median_ms(fn, warmup, runs, budget_s):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < runs and (time.perf_counter() - start < budget_s or len(times) < 5):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return {"median": times[len(times) // 2], "runs": len(times)}


def bench(model_path, workdir):
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    with open(os.path.join(workdir, "job.json")) as f:
        job = json.load(f)
    config, net = build(model_path)
    masked = bool(config.get("mask_padding"))
    blas = blas_name()
    # A peer measured in a slower form than documented proves nothing: Debian's reference BLAS
    # makes PyTorch several times slower than on OpenBLAS (scripts/bench.sh sets LD_LIBRARY_PATH).
    if "openblas" not in blas.lower():
        sys.exit(f"torch_peer: PyTorch loaded {blas}, not OpenBLAS; install libopenblas0-pthread and "
                 "put /usr/lib/x86_64-linux-gnu/openblas-pthread on LD_LIBRARY_PATH (scripts/bench.sh does)")
    result = {"version": torch.__version__, "parity": {}, "latency": {}, "blas": blas,
              "api": "nn.Module forward" + (", pack_padded_sequence (masked model)" if masked else "")}

    def batches(ids, size):
        """Each batch's arguments to net: a masked model's rows packed (converted here, untimed,
        like the other engines' input conversion), a padded model's ids as they are."""
        return [left_aligned(ids[i:i + size]) if masked else (ids[i:i + size],)
                for i in range(0, ids.shape[0], size)]

    with torch.inference_mode():
        for name, spec in job["parity"].items():
            ids = read_ids(os.path.join(workdir, spec["file"]), spec["steps"])
            probs = torch.cat([net(*args) for args in batches(ids, 500)])
            out = name + ".torch.f32"
            probs.numpy().astype(np.float32).tofile(os.path.join(workdir, out))
            result["parity"][name] = out
        for name, spec in job["latency"].items():
            ids = read_ids(os.path.join(workdir, spec["file"]), spec["steps"])[:1]
            # The latency reviews are longer than the window: no padding, nothing to pack.
            assert bool((ids != 0).all()), "latency ids hold padding"
            result["latency"][name] = median_ms(lambda: net(ids), job["warmup"], job["runs"],
                                                job["budget_s"])
        spec = job["throughput"]
        ids = read_ids(os.path.join(workdir, spec["file"]), spec["steps"])
        batch = spec["batch"]
        work = batches(ids, batch)
        net(*work[0])  # warm-up
        done, start = 0, time.perf_counter()
        for args in work:
            net(*args)
            done += args[0].shape[0]
            if time.perf_counter() - start > spec["budget_s"]:
                break
        elapsed = time.perf_counter() - start
        result["throughput"] = {"reviews": done, "seconds": elapsed, "per_second": done / elapsed,
                                "batch": batch}
    # ru_maxrss is in KiB on Linux: the peak resident set of this whole process.
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    with open(os.path.join(workdir, "torch.json"), "w") as f:
        json.dump(result, f, indent=1)


def blas_name():
    """Which BLAS the process loaded (the OpenBLAS variant via LD_LIBRARY_PATH, or another)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower()}
        return ", ".join(sorted(os.path.basename(os.path.dirname(p)) + "/" + os.path.basename(p)
                                for p in libs)) or "none"
    except OSError:
        return "unknown"


if __name__ == "__main__":
    if len(sys.argv) == 11 and sys.argv[1] == "random":
        a = sys.argv[2:]
        write_random(a[0], a[1], int(a[2]), a[3] in ("1", "true"), int(a[4]), int(a[5]), int(a[6]),
                     int(a[7]), a[8])
    elif len(sys.argv) == 4 and sys.argv[1] == "bench":
        bench(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
