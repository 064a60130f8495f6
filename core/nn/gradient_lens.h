#pragma once
// The memory lens: how much the verdict depends on what the network read at each step, and how
// much its state at each step still matters at the end. One forward pass with its trace, then one
// backward pass through time from the logit, reusing each cell's backward step (nn/cell.h): the
// same derivative the trainer uses, here for one review and the logit instead of the loss.

#include <vector>

#include "nn/model.h"
#include "nn/tensor.h"

namespace unroll {

/** Memory falls out of view where its gradient is below this fraction of its largest value. */
constexpr float kFadeFraction = 0.01f;

struct GradientLens {
  std::vector<int> ids;      // the steps read (Model::trace's ids: a masked model's words only)
  float logit = 0.0f;
  // Per step t, x_t the embedding row read at t (as the first layer sees it):
  Vector word_gradient;      // [steps] ‖∂logit/∂x_t‖
  Vector grad_times_input;   // [steps] Σ_k (∂logit/∂x_t)_k · x_t,k  (signed: + pushes positive)
  // ‖∂logit/∂h_t‖ for every layer and direction: row layer·directions + direction, column t (time
  // order, also for the backward direction). The whole gradient reaching h_t: from the head, the
  // layer above and the steps after it. A knocked-out unit passes none.
  Matrix state_gradient;     // [layers·directions × steps]
  // Per row of state_gradient: the first step, walking away from where the head reads that
  // direction (forward: from the last step back; backward: from the first on), whose gradient is
  // below kFadeFraction of the row's largest; -1 if memory never fades that far.
  std::vector<int> fade_step;
};

/**
 * The lens for an id sequence (as Model::logit takes it), with the model's knockouts applied.
 * Costs one traced forward pass and about as much again for the backward pass.
 */
GradientLens gradient_lens(Model& model, const std::vector<int>& ids);

/** fade_step's rule on one row of gradients; `from_end`: walk from the last step back. */
int fade_step(const float* gradient, int steps, bool from_end);

}  // namespace unroll
