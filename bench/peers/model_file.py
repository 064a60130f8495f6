"""Our model file (docs/model-format.md) read into numpy, for the Python peers of scripts/bench.sh."""

import json
import struct

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "I8": np.int8}


def read_model(path):
    """(config dict, {name: float32 ndarray}) from our safetensors model file."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__")
    assert metadata.get("format") == "unroll-rnn", path
    body = memoryview(data)[8 + length:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=DTYPES[info["dtype"]])
        tensors[name] = array.astype(np.float32).reshape(info["shape"])
    # An I8 embedding carries one F32 scale per row (docs/model-format.md); float32 product, as
    # the core computes it.
    scale = tensors.pop("embedding.scale", None)
    if scale is not None:
        tensors["embedding"] = (tensors["embedding"] * scale[:, None]).astype(np.float32)
    return json.loads(metadata["config"]), tensors
