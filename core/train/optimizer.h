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
/** Rounds every weight through IEEE half precision (what F16 storage will keep). */
void round_to_f16(ModelWeights& weights);

/**
 * Adam as in Keras (and TensorFlow): m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g², and
 * θ -= lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε). Dense: every parameter, the whole embedding
 * included, is updated at every step, so rows absent from a batch keep decaying their moments
 * exactly as in Keras.
 */
class Adam {
 public:
  Adam(const ModelWeights& like, float learning_rate, float beta1 = 0.9f, float beta2 = 0.999f,
       float epsilon = 1e-7f);
  void step(ModelWeights& weights, const ModelWeights& grad);
  std::int64_t steps() const { return t_; }

 private:
  ModelWeights m_, v_;
  float learning_rate_, beta1_, beta2_, epsilon_;
  std::int64_t t_ = 0;
};

}  // namespace unroll::train
