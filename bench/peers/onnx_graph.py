#!/usr/bin/python3
"""Our model file as an ONNX graph, built op by op (onnx.helper), for the ONNX Runtime peers.

    onnx_graph.py MODEL.safetensors OUT.onnx

    Gather(embedding) → RNN / LSTM / GRU per layer (ONNX's own recurrent ops) → Gemm → Sigmoid

Built by hand rather than through torch.onnx.export because a masked model (config
"mask_padding": it reads only the words) needs ONNX's `sequence_lens`, which is the documented
way to give ONNX Runtime sequences of different lengths in one batch: PyTorch exports packed
sequences as a sort (TopK), a scatter and shape arithmetic around each layer, with a warning that
batch sizes other than the exported one may fail. Here:

  inputs   ids      int32 [batch, steps]  the words left-aligned, zeros after them (masked), or
                                          Keras' padded sequence as our Model reads it (not masked)
           lengths  int32 [batch]         masked models only: how many ids of each row are words
  output   probability float32 [batch]

With sequence_lens, a forward direction's Y_h is the state after the row's last word and a
backward direction's is the state after its first word read backwards: Keras' masked
Bidirectional, our Model's masked semantics. The weights map as docs/model-format.md says:
ONNX wants W [directions, G·units, input] (our kernel transposed), the LSTM gates in the order
i, o, f, c (ours: i, f, c, o), the GRU's z, r, h as ours, with linear_before_reset = 1 (Keras'
reset_after, the recurrent bias inside the reset product).
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from model_file import read_model

OPSET = 14
OPS = {"simple_rnn": ("RNN", 1), "lstm": ("LSTM", 4), "gru": ("GRU", 3)}
LSTM_TO_ONNX = [0, 3, 1, 2]  # our i, f, c, o → ONNX's i, o, f, c


def gate_rows(matrix, cell):
    """Rows of a [G·units, ...] array (or a [G·units] vector) in ONNX's gate order."""
    if cell != "lstm":
        return matrix
    blocks = np.split(matrix, 4, axis=0)
    return np.concatenate([blocks[i] for i in LSTM_TO_ONNX], axis=0)


def build_graph(config, w):
    """An onnx.ModelProto computing our Model's probability (w: name → float32 ndarray)."""
    cell, units, layers = config["cell"], config["units"], config["layers"]
    masked = bool(config.get("mask_padding"))
    directions = 2 if config["bidirectional"] else 1
    op, _ = OPS[cell]
    init, nodes = [], []

    def const(name, array):
        init.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    inputs = [helper.make_tensor_value_info("ids", TensorProto.INT32, ["batch", "steps"])]
    if masked:
        inputs.append(helper.make_tensor_value_info("lengths", TensorProto.INT32, ["batch"]))
    # Time-major ids first: transposing the ids is cheaper than transposing the embedded rows.
    nodes.append(helper.make_node("Transpose", ["ids"], ["ids_tm"], perm=[1, 0]))
    nodes.append(helper.make_node("Gather", [const("embedding", w["embedding"]), "ids_tm"], ["x0"], axis=0))
    x = "x0"
    for layer in range(layers):
        W, R, B = [], [], []
        for direction in range(directions):
            prefix = "rnn.%d.%s." % (layer, ["fwd", "bwd"][direction])
            kernel = w[prefix + "kernel"].T
            recurrent = w[prefix + "recurrent_kernel"].T
            bias = w[prefix + "bias"]
            recurrent_bias = w.get(prefix + "recurrent_bias", np.zeros_like(bias))
            W.append(gate_rows(kernel, cell))
            R.append(gate_rows(recurrent, cell))
            B.append(np.concatenate([gate_rows(bias, cell), gate_rows(recurrent_bias, cell)]))
        names = [const("W%d" % layer, np.stack(W)), const("R%d" % layer, np.stack(R)), const("B%d" % layer, np.stack(B))]
        if masked:
            names.append("lengths")
        attributes = {"hidden_size": units, "direction": "bidirectional" if directions == 2 else "forward"}
        if cell == "gru":
            attributes["linear_before_reset"] = 1
        if cell == "simple_rnn":
            attributes["activations"] = ["Tanh"] * directions
        last = layer == layers - 1
        outputs = ["", "h%d" % layer] if last else ["y%d" % layer]
        nodes.append(helper.make_node(op, [x] + names, outputs, name="%s%d" % (op.lower(), layer), **attributes))
        if not last:
            # Y [steps, directions, batch, units] → [steps, batch, directions·units]: the next
            # layer's input, the two directions concatenated (Keras' merge_mode="concat").
            nodes.append(helper.make_node("Transpose", ["y%d" % layer], ["yt%d" % layer], perm=[0, 2, 1, 3]))
            nodes.append(helper.make_node("Reshape", ["yt%d" % layer, const("seq_shape%d" % layer, np.array([0, 0, -1], np.int64))],
                                          ["x%d" % (layer + 1)]))
            x = "x%d" % (layer + 1)
    # Y_h [directions, batch, units] → [batch, directions·units]: [h_fwd, h_bwd] as Keras concatenates.
    nodes.append(helper.make_node("Transpose", ["h%d" % (layers - 1)], ["ht"], perm=[1, 0, 2]))
    nodes.append(helper.make_node("Reshape", ["ht", const("final_shape", np.array([0, -1], np.int64))], ["final"]))
    nodes.append(helper.make_node("Gemm", ["final", const("head_kernel", w["head.kernel"]), const("head_bias", w["head.bias"])], ["logit"]))
    nodes.append(helper.make_node("Sigmoid", ["logit"], ["p2"]))
    nodes.append(helper.make_node("Reshape", ["p2", const("flat", np.array([-1], np.int64))], ["probability"]))
    graph = helper.make_graph(nodes, "unroll", inputs,
                              [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["batch"])], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="unroll bench/peers/onnx_graph.py")
    onnx.checker.check_model(model)
    return model


def main(model_path, onnx_path):
    config, w = read_model(model_path)
    tmp = onnx_path + ".tmp"
    onnx.save(build_graph(config, w), tmp)
    os.replace(tmp, onnx_path)
    print("onnx_graph: wrote %s (%d bytes%s)" % (onnx_path, os.path.getsize(onnx_path),
                                                ", masked: ids + lengths" if config.get("mask_padding") else ""))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
