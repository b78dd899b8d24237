#include "nn/dense.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace initlab::nn {
namespace {

// x (2, 3), W (2, 3), b (2): hand-computed y = x W^T + b and its gradients.
TEST(Dense, SmallExampleByHand) {
  const Matrix<double> x = {{1, 2, 3}, {4, 5, 6}};
  const Matrix<double> W = {{1, 0, -1}, {2, 1, 0}};
  const Vector<double> b = {0.5, -1};
  Matrix<double> y;
  dense_forward(y, x, W, b);
  EXPECT_EQ(y, (Matrix<double>{{-1.5, 3}, {-1.5, 12}}));

  const Matrix<double> dy = {{1, 0}, {0, 2}};
  Matrix<double> dx, dW;
  Vector<double> db;
  dense_backward(&dx, dW, db, dy, x, W);
  EXPECT_EQ(dx, (Matrix<double>{{1, 0, -1}, {4, 2, 0}}));   // dy W
  EXPECT_EQ(dW, (Matrix<double>{{1, 2, 3}, {8, 10, 12}}));  // dy^T x
  EXPECT_EQ(db, (Vector<double>{1, 2}));                    // column sums of dy
}

TEST(Dense, FloatPathAgrees) {
  const Matrix<float> x = {{1, 2, 3}, {4, 5, 6}};
  const Matrix<float> W = {{1, 0, -1}, {2, 1, 0}};
  const Vector<float> b = {0.5f, -1};
  Matrix<float> y, dW;
  Vector<float> db;
  dense_forward(y, x, W, b);
  EXPECT_EQ(y, (Matrix<float>{{-1.5f, 3}, {-1.5f, 12}}));
  dense_backward<float>(nullptr, dW, db, Matrix<float>{{1, 0}, {0, 2}}, x, W);
  EXPECT_EQ(dW, (Matrix<float>{{1, 2, 3}, {8, 10, 12}}));
}

TEST(Dense, ReusesBuffersForAFixedBatch) {
  const Matrix<double> x = {{1, 2}, {3, 4}};
  const Matrix<double> W = {{1, 1}};
  const Vector<double> b = {0};
  Matrix<double> y;
  dense_forward(y, x, W, b);
  const double* storage = y.data();
  dense_forward(y, x, W, b);
  EXPECT_EQ(y.data(), storage);
}

TEST(Dense, RejectsShapeMismatch) {
  Matrix<double> y, dx, dW;
  Vector<double> db;
  const Matrix<double> x({2, 3}), W({4, 2});
  const Vector<double> b({4});
  EXPECT_THROW(dense_forward(y, x, W, b), std::invalid_argument);
  EXPECT_THROW(dense_forward(y, Matrix<double>({2, 2}), W, Vector<double>({3})),
               std::invalid_argument);
  EXPECT_THROW(dense_backward(&dx, dW, db, Matrix<double>({2, 3}), Matrix<double>({2, 2}), W),
               std::invalid_argument);
}

}  // namespace
}  // namespace initlab::nn
