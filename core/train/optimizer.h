#pragma once
// Parameter arithmetic over a whole ModelWeights (gradients have the same shapes as the weights)
// and the Adam optimiser.

#include <cstdint>
#include <utility>
#include <vector>

#include "nn/weights.h"

namespace unroll::train {

/** Every tensor of `weights` as (first float, count), in a fixed order; head_bias is one float. */
std::vector<std::pair<float*, Eigen::Index>> tensors(ModelWeights& weights);

void set_zero(ModelWeights& weights);
/** into += other (same shapes). */
void add(ModelWeights& into, const ModelWeights& other);
/** Euclidean norm of all parameters together, accumulated in double. */
double global_norm(const ModelWeights& weights);
/** Scales every tensor so that the global norm is at most `max_norm` (no-op when max_norm <= 0). Returns the norm before. */
double clip_global_norm(ModelWeights& grad, double max_norm);
/**
 * Exponential moving average of the weights (Polyak averaging, as TensorFlow's
 * ExponentialMovingAverage with num_updates): average = d·average + (1-d)·weights with
 * d = min(decay, (1 + step)/(10 + step)), so that the first steps, when the average still holds the
 * initial weights, move it quickly. `step` counts from 1.
 */
void ema_update(ModelWeights& average, const ModelWeights& weights, float decay, std::int64_t step);
/** Rounds every weight through IEEE half precision (what F16 storage will keep). */
void round_to_f16(ModelWeights& weights);

/**
 * Adam as in Keras (and TensorFlow): m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g², and
 * θ -= lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε). Dense: every parameter, the whole embedding
 * included, is updated at every step, so rows absent from a batch keep decaying their moments
 * exactly as in Keras.
 *
 * `weight_decay` λ > 0 makes it AdamW (decoupled decay, as Keras' AdamW): before the Adam update
 * every weight except the biases is multiplied by (1 - lr·λ); the embedding, kernels, recurrent
 * kernels and head kernel decay, the recurrent and head biases do not.
 */
class Adam {
 public:
  Adam(const ModelWeights& like, float learning_rate, float beta1 = 0.9f, float beta2 = 0.999f,
       float epsilon = 1e-7f, float weight_decay = 0.0f);
  void step(ModelWeights& weights, const ModelWeights& grad);
  std::int64_t steps() const { return t_; }

 private:
  ModelWeights m_, v_;
  float learning_rate_, beta1_, beta2_, epsilon_, weight_decay_;
  std::vector<bool> decays_;  // per tensor of tensors(): false for biases
  std::int64_t t_ = 0;
};

}  // namespace unroll::train
