// Permutation, take/slice/split and the one fixed shuffle of class-sorted data.
#include "data/dataset.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>

namespace {

using namespace initlab::data;
using initlab::random::Stream;

// n rows, row i = (i, -i), label i / (n / classes): sorted by class like MNIST's JSON.
Dataset sorted_set(std::size_t n, std::size_t classes) {
  Dataset d;
  d.name = "sorted";
  d.classes = classes;
  d.x = initlab::Matrix<float>::from_shape({n, 2});
  for (std::size_t i = 0; i < n; ++i) {
    d.x(i, 0) = static_cast<float>(i);
    d.x(i, 1) = -static_cast<float>(i);
    d.y.push_back(static_cast<std::uint8_t>(i * classes / n));
  }
  return d;
}

TEST(Dataset, PermuteKeepsRowsWithTheirLabels) {
  const Dataset d = sorted_set(100, 10);
  const Dataset p = permute(d, Stream(1));
  ASSERT_EQ(p.size(), 100u);
  for (std::size_t i = 0; i < 100; ++i) {
    const auto orig = static_cast<std::size_t>(p.x(i, 0));
    EXPECT_EQ(p.x(i, 1), -p.x(i, 0));
    EXPECT_EQ(p.y[i], d.y[orig]);
  }
  EXPECT_EQ(class_counts(p), class_counts(d));
}

TEST(Dataset, SplitAfterPermutationMixesClasses) {
  // 10,000 class-sorted rows: without the shuffle the first batch of 100 holds
  // one class; after it every batch holds several. A batch of 100 missing a given
  // class has probability ~ 0.9^100 = 2.7e-5, so requiring >= 5 of 10 classes in
  // each of the first 20 batches cannot fail by chance in practice (it would need
  // 6 classes absent at once: < C(10,6) 0.4^100 ~ 1e-37).
  const Dataset d = sorted_set(10000, 10);
  const Split s = split(permute(d, Stream(2019)), 8000, 2000);
  EXPECT_EQ(s.train.size(), 8000u);
  EXPECT_EQ(s.held_out.size(), 2000u);
  for (std::size_t b = 0; b < 20; ++b) {
    std::set<int> classes(s.train.y.begin() + static_cast<long>(100 * b),
                          s.train.y.begin() + static_cast<long>(100 * (b + 1)));
    EXPECT_GE(classes.size(), 5u) << "batch " << b;
  }
  const Split unmixed = split(d, 8000, 2000);
  EXPECT_EQ(std::set<int>(unmixed.train.y.begin(), unmixed.train.y.begin() + 100).size(), 1u);
}

TEST(Dataset, RejectsBadSplitsAndIndices) {
  const Dataset d = sorted_set(10, 2);
  EXPECT_THROW(split(d, 8, 3), std::invalid_argument);
  EXPECT_THROW(split(d, 0, 3), std::invalid_argument);
  EXPECT_THROW(slice(d, 5, 11), std::invalid_argument);
  const std::vector<std::size_t> bad{1, 10};
  EXPECT_THROW(take(d, bad), std::invalid_argument);
  Dataset wrong = d;
  wrong.y[3] = 2;
  EXPECT_THROW(validate(wrong), std::invalid_argument);
}

TEST(Dataset, FeaturesAndLabelsConvert) {
  const Dataset d = sorted_set(6, 3);
  const auto x = features<double>(d);
  EXPECT_EQ(x(4, 1), -4.0);
  EXPECT_EQ(label_indices(d), (std::vector<std::size_t>{0, 0, 1, 1, 2, 2}));
}

}  // namespace
