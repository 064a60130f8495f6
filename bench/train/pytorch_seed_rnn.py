#!/usr/bin/env python3
"""One epoch of the seed-rnn configuration in PyTorch, for bench_train.sh.

Embedding(10000, 100) -> 2 stacked SimpleRNN(64) (tanh), dropout 0.2 on each layer's input ->
Linear(64, 1) -> sigmoid, binary cross-entropy, Adam(1e-3, eps 1e-7), batch 128, maxlen 80
(padding and truncating 'pre', start token), on the same 22,500/2,500 stratified split sizes.
Prints 'seconds_per_epoch <s>' and 'reviews_per_second <r>' (training loop only, data preparation
excluded, as for our trainer).

Usage: pytorch_seed_rnn.py <aclImdb folder> <threads> [seed]
"""
import collections
import os
import random
import re
import sys
import time

import torch
from torch import nn

VOCAB, MAXLEN, EMBED, UNITS, BATCH, DROPOUT = 10000, 80, 100, 64, 128, 0.2
TOKEN = re.compile(r"[a-z0-9']+")
TAG = re.compile(r"<[a-zA-Z/!?][^>]*>")


def read(root, split):
    texts, labels = [], []
    for label, folder in ((0, "neg"), (1, "pos")):
        path = os.path.join(root, split, folder)
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), encoding="utf-8", errors="replace") as f:
                texts.append([w.strip("'") for w in TOKEN.findall(TAG.sub(" ", f.read().lower()))])
            labels.append(label)
    return texts, labels


def pad(ids):
    ids = [1] + ids
    ids = ids[-MAXLEN:]
    return [0] * (MAXLEN - len(ids)) + ids


class SeedRnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, EMBED)
        self.drop0 = nn.Dropout(DROPOUT)
        self.rnn0 = nn.RNN(EMBED, UNITS, batch_first=True)
        self.drop1 = nn.Dropout(DROPOUT)
        self.rnn1 = nn.RNN(UNITS, UNITS, batch_first=True)
        self.head = nn.Linear(UNITS, 1)

    def forward(self, x):
        h, _ = self.rnn0(self.drop0(self.embedding(x)))
        _, last = self.rnn1(self.drop1(h))
        return self.head(last[-1]).squeeze(1)


def main():
    root, threads = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    random.seed(seed)
    texts, labels = read(root, "train")
    counts = collections.Counter(w for t in texts for w in t)
    words = sorted(counts, key=lambda w: (-counts[w], w))[: VOCAB - 3]
    index = {w: i + 3 for i, w in enumerate(words)}
    x = torch.tensor([pad([index.get(w, 2) for w in t]) for t in texts], dtype=torch.long)
    y = torch.tensor(labels, dtype=torch.float32)
    order = list(range(len(labels)))
    random.shuffle(order)
    held = len(order) // 10
    val, train = order[:held], order[held:]

    model = SeedRnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()
    perm = torch.tensor(train)[torch.randperm(len(train))]
    start = time.perf_counter()
    for first in range(0, len(perm), BATCH):
        rows = perm[first:first + BATCH]
        optimizer.zero_grad()
        loss = loss_fn(model(x[rows]), y[rows])
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        v = torch.tensor(val)
        accuracy = ((model(x[v]) > 0).float() == y[v]).float().mean().item()
    print(f"torch {torch.__version__}, {threads} threads, BLAS: {torch.__config__.show().count('OpenBLAS') and 'OpenBLAS' or 'other'}")
    print(f"val_accuracy {accuracy:.4f}")
    print(f"seconds_per_epoch {seconds:.2f}")
    print(f"reviews_per_second {len(train) / seconds:.0f}")


if __name__ == "__main__":
    main()
