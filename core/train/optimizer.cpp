#include "train/optimizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace unroll::train {

std::vector<std::pair<float*, Eigen::Index>> tensors(ModelWeights& w) {
  std::vector<std::pair<float*, Eigen::Index>> out;
  out.emplace_back(w.embedding.data(), w.embedding.size());
  for (RecurrentWeights& r : w.rnn) {
    out.emplace_back(r.kernel.data(), r.kernel.size());
    out.emplace_back(r.recurrent_kernel.data(), r.recurrent_kernel.size());
    out.emplace_back(r.bias.data(), r.bias.size());
    if (r.recurrent_bias.size() > 0) out.emplace_back(r.recurrent_bias.data(), r.recurrent_bias.size());
  }
  out.emplace_back(w.head_kernel.data(), w.head_kernel.size());
  out.emplace_back(&w.head_bias, 1);
  return out;
}

namespace {
using Map = Eigen::Map<Eigen::ArrayXf>;
}  // namespace

void set_zero(ModelWeights& w) {
  for (auto [data, size] : tensors(w)) Map(data, size).setZero();
}

void add(ModelWeights& into, const ModelWeights& other) {
  auto a = tensors(into);
  auto b = tensors(const_cast<ModelWeights&>(other));
  for (std::size_t i = 0; i < a.size(); ++i) Map(a[i].first, a[i].second) += Map(b[i].first, b[i].second);
}

double global_norm(const ModelWeights& w) {
  double sum = 0.0;
  for (auto [data, size] : tensors(const_cast<ModelWeights&>(w)))
    sum += Map(data, size).cast<double>().square().sum();
  return std::sqrt(sum);
}

double clip_global_norm(ModelWeights& grad, double max_norm) {
  const double norm = global_norm(grad);
  if (max_norm > 0.0 && norm > max_norm) {
    const float scale = static_cast<float>(max_norm / norm);
    for (auto [data, size] : tensors(grad)) Map(data, size) *= scale;
  }
  return norm;
}

void ema_update(ModelWeights& average, const ModelWeights& weights, float decay, std::int64_t step) {
  const double warmup = (1.0 + static_cast<double>(step)) / (10.0 + static_cast<double>(step));
  const float d = static_cast<float>(std::min(static_cast<double>(decay), warmup));
  auto a = tensors(average);
  auto w = tensors(const_cast<ModelWeights&>(weights));
  for (std::size_t i = 0; i < a.size(); ++i) {
    Map ai(a[i].first, a[i].second);
    ai = d * ai + (1.0f - d) * Map(w[i].first, w[i].second);
  }
}

namespace {
// float → IEEE half (round to nearest even) → float.
float through_half(float value) {
  std::uint32_t x;
  std::memcpy(&x, &value, 4);
  const std::uint32_t sign = x & 0x80000000u;
  std::uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) return value;  // inf, NaN
  float magnitude;
  std::memcpy(&magnitude, &abs, 4);
  float out;
  if (magnitude >= 65520.0f) {
    out = INFINITY;
  } else if (magnitude < 6.103515625e-05f) {
    // Subnormal halves: multiples of 2^-24.
    out = std::nearbyint(magnitude * 16777216.0f) / 16777216.0f;
  } else {
    // Keep 10 mantissa bits, rounding to nearest even.
    const std::uint32_t lsb = (abs >> 13) & 1u;
    abs += 0x0fffu + lsb;
    abs &= ~0x1fffu;
    std::memcpy(&out, &abs, 4);
  }
  return sign ? -out : out;
}
}  // namespace

void round_to_f16(ModelWeights& w) {
  for (auto [data, size] : tensors(w))
    for (Eigen::Index i = 0; i < size; ++i) data[i] = through_half(data[i]);
}

Adam::Adam(const ModelWeights& like, float learning_rate, float beta1, float beta2, float epsilon,
           float weight_decay)
    : m_(like), v_(like), learning_rate_(learning_rate), beta1_(beta1), beta2_(beta2),
      epsilon_(epsilon), weight_decay_(weight_decay) {
  set_zero(m_);
  set_zero(v_);
  // The order of tensors(): embedding, per recurrent weights kernel, recurrent kernel, bias
  // (and recurrent bias), head kernel, head bias.
  decays_.push_back(true);
  for (const RecurrentWeights& r : like.rnn) {
    decays_.insert(decays_.end(), {true, true, false});
    if (r.recurrent_bias.size() > 0) decays_.push_back(false);
  }
  decays_.insert(decays_.end(), {true, false});
}

void Adam::step(ModelWeights& weights, const ModelWeights& grad) {
  ++t_;
  const double t = static_cast<double>(t_);
  const float rate = static_cast<float>(learning_rate_ * std::sqrt(1.0 - std::pow(beta2_, t)) /
                                        (1.0 - std::pow(beta1_, t)));
  // Keras adds ε to √v itself (the paper's ε̂), not to the bias-corrected √v̂.
  const float eps = epsilon_;
  auto w = tensors(weights);
  auto g = tensors(const_cast<ModelWeights&>(grad));
  auto m = tensors(m_);
  auto v = tensors(v_);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const Eigen::Index n = w[i].second;
    Map gi(g[i].first, n), mi(m[i].first, n), vi(v[i].first, n), wi(w[i].first, n);
    if (weight_decay_ > 0.0f && decays_[i]) wi *= 1.0f - learning_rate_ * weight_decay_;
    mi = beta1_ * mi + (1.0f - beta1_) * gi;
    vi = beta2_ * vi + (1.0f - beta2_) * gi.square();
    wi -= rate * mi / (vi.sqrt() + eps);
  }
}

}  // namespace unroll::train
