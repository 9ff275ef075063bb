// Eigen aliases used across the model code. Matrices are row-major: a (T, C) activation is
// T rows of C floats, contiguous, like a C array [T][C].
#pragma once
#include <Eigen/Core>

namespace gb {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;  // (rows, cols)
using Vec = Eigen::VectorXf;                                                         // (n)
using RowVec = Eigen::Matrix<float, 1, Eigen::Dynamic>;                              // (1, n)
using MatMap = Eigen::Map<Mat>;
using CMatMap = Eigen::Map<const Mat>;
using VecMap = Eigen::Map<Vec>;
using CVecMap = Eigen::Map<const Vec>;

}  // namespace gb
