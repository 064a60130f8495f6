#include "nn/pooling.h"

namespace unroll {

float head_logit(const ModelConfig& config, const Matrix& top, int steps, const Vector& head_kernel, float head_bias) {
  float logit = head_bias;
  if (steps == 0) return logit;
  const int units = config.units, width = config.head_dim();
  switch (config.pooling) {
    case Pooling::Last:
      logit += top.row(steps - 1).head(units).dot(head_kernel.head(units));
      if (config.directions() == 2) logit += top.row(0).segment(units, units).dot(head_kernel.tail(units));
      break;
    case Pooling::Mean:  // lazy column reductions: no temporary vector
      logit += top.topRows(steps).leftCols(width).colwise().mean().dot(head_kernel.transpose());
      break;
    case Pooling::Max:
      logit += top.topRows(steps).leftCols(width).colwise().maxCoeff().dot(head_kernel.transpose());
      break;
  }
  return logit;
}

Matrix head_input_gradient(const ModelConfig& config, const Matrix& top, int steps, const Vector& head_kernel) {
  const int units = config.units, width = config.head_dim();
  Matrix d_top = Matrix::Zero(steps, width);
  if (steps == 0) return d_top;
  switch (config.pooling) {
    case Pooling::Last:
      d_top.row(steps - 1).head(units) = head_kernel.head(units).transpose();
      if (config.directions() == 2) d_top.row(0).segment(units, units) = head_kernel.tail(units).transpose();
      break;
    case Pooling::Mean:
      d_top.rowwise() = head_kernel.transpose() / static_cast<float>(steps);
      break;
    case Pooling::Max:
      for (int j = 0; j < width; ++j) {
        Eigen::Index from = 0;
        top.col(j).head(steps).maxCoeff(&from);  // Eigen returns the first maximum
        d_top(from, j) = head_kernel[j];
      }
      break;
  }
  return d_top;
}

void running_logits(const ModelConfig& config, const Matrix& top, int steps, const Vector& head_kernel,
                    float head_bias, Vector& running) {
  if (config.directions() != 1) {
    running.resize(0);
    return;
  }
  running.resize(steps);
  if (steps == 0) return;
  const int units = config.units;
  switch (config.pooling) {
    case Pooling::Last:
      running.noalias() = top.topRows(steps).leftCols(units) * head_kernel;
      break;
    case Pooling::Mean:
    case Pooling::Max: {
      RowVector pooled = top.row(0).head(units);
      running[0] = pooled.dot(head_kernel.transpose());
      for (int t = 1; t < steps; ++t) {
        if (config.pooling == Pooling::Mean)
          pooled += (top.row(t).head(units) - pooled) / static_cast<float>(t + 1);  // the mean of rows 0..t
        else
          pooled = pooled.cwiseMax(top.row(t).head(units));
        running[t] = pooled.dot(head_kernel.transpose());
      }
      break;
    }
  }
  running.array() += head_bias;
}

}  // namespace unroll
