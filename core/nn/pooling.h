#pragma once
// What the head reads from the top layer (ModelConfig::pooling): its final states, or its output
// pooled over the steps read. One place for the forward rule and its gradient, shared by the
// inference Model, the gradient lens and the running prediction; the batched runners (BatchRunner,
// the trainer's Network) pool as they go, with the same rule.

#include "nn/config.h"
#include "nn/tensor.h"

namespace unroll {

/**
 * The logit, h·head_kernel + head_bias, where h is read from the top layer's output `top` (rows
 * 0..steps-1 are [h_t(fwd), h_t(bwd)], in time order for both directions): Last
 * [h_{T-1}(fwd), h_0(bwd)]; Mean / Max the column-wise mean / maximum over the rows. No step: the
 * head on h = 0. Allocates nothing (Model::predict stays allocation-free once warmed up).
 */
float head_logit(const ModelConfig& config, const Matrix& top, int steps, const Vector& head_kernel, float head_bias);

/**
 * dLogit/d(top) [steps × head_dim] for head_logit: head_kernel at
 * the rows the head reads (Last), head_kernel/T at every row (Mean), or each column's weight at the
 * row its maximum came from (Max; the first such row on a tie).
 */
Matrix head_input_gradient(const ModelConfig& config, const Matrix& top, int steps, const Vector& head_kernel);

/**
 * Unidirectional models: the logit the head would give if the review ended after step t, for
 * every t, written into `running` [steps] — the head on h_t (Last) or on the mean / maximum of
 * h_0..h_t. Empty for bidirectional models: the backward state after reading only x_0..x_t does
 * not exist in their pass.
 */
void running_logits(const ModelConfig& config, const Matrix& top, int steps, const Vector& head_kernel,
                    float head_bias, Vector& running);

}  // namespace unroll
