#pragma once
// The few Eigen types the core uses. Matrices are row-major so that a [rows × cols] tensor in a
// model file, a trace handed to JavaScript and an Eigen matrix share one memory layout.

#include <Eigen/Core>

namespace unroll {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

}  // namespace unroll
