#include "nn/predict.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/nn_testing.hpp"
#include "nn/trainer.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;

Network<double> net_with(const char* acts, std::vector<std::size_t> widths) {
  NetworkConfig c;
  c.widths = std::move(widths);
  c.activations = Activation::parse_list(acts);
  c.inits = {"xavier_normal"};
  c.bias_init = "normal:0.3";
  c.seed = 21;
  return Network<double>(c);
}

TEST(Softmax, RowsSumToOneAndAreStable) {
  const Matrix<double> h = {{1000, 0, -1000}, {1, 2, 3}};
  const Matrix<double> p = softmax(h);
  EXPECT_EQ(p(0, 0), 1.0);
  EXPECT_EQ(p(0, 2), 0.0);
  EXPECT_NEAR(p(1, 0) + p(1, 1) + p(1, 2), 1.0, 1e-15);
  EXPECT_NEAR(p(1, 2) / p(1, 1), std::exp(1.0), 1e-13);
}

TEST(Predict, SoftmaxNetwork) {
  Network<double> net = net_with("tanh,linear", {4, 6, 3});
  const Matrix<double> x = random_matrix(10, 4, 1);
  const Matrix<double> p = predict_proba(net, x, Loss::parse("ce"));
  const Matrix<double> h = predict_logits(net, x);
  const auto classes = predict_classes(net, x);
  ASSERT_EQ(classes.size(), 10u);
  for (std::size_t r = 0; r < 10; ++r) {
    EXPECT_NEAR(p(r, 0) + p(r, 1) + p(r, 2), 1.0, 1e-15);
    const std::size_t best = static_cast<std::size_t>(
        std::max_element(&p(r, 0), &p(r, 0) + 3) - &p(r, 0));
    EXPECT_EQ(classes[r], best);
  }
  EXPECT_EQ(h, net.forward(x));  // linear output: h^L = a^L
}

TEST(Predict, SigmoidNetwork) {
  Network<double> net = net_with("relu,sigmoid", {2, 5, 1});
  const Matrix<double> x = random_matrix(8, 2, 2, -3.0, 3.0);
  const Matrix<double> p = predict_proba(net, x, Loss::parse("bce"));
  const Matrix<double>& a = net.forward(x);
  const auto classes = predict_classes(net, x);
  for (std::size_t r = 0; r < 8; ++r) {
    EXPECT_NEAR(p(r, 0), a(r, 0), 1e-15);
    EXPECT_EQ(classes[r], p(r, 0) > 0.5 ? 1u : 0u);
  }
}

TEST(Predict, RejectsWrongInputWidth) {
  Network<double> net = net_with("relu,sigmoid", {2, 5, 1});
  EXPECT_THROW(predict_classes(net, Matrix<double>({3, 4})), std::invalid_argument);
}

// A plain description as a Model holds the Network's weights and runs the same
// kernels (nn/model.hpp): its predictions and scores are the Network's, bit for bit.
TEST(Predict, AModelPredictsWhatItsNetworkPredicts) {
  const Network<double> net = net_with("tanh,linear", {4, 6, 3});
  NetDescription d;
  d.input = 4;
  for (auto [w, a] : {std::pair<std::size_t, const char*>{6, "tanh"}, {3, "linear"}})
    d.blocks.push_back(DenseLayer{w, Activation::parse(a), "xavier_normal", "normal:0.3"});
  Model<double> model(d, 21);
  const Matrix<double> x = random_matrix(9, 4, 5);
  const Loss ce = Loss::parse("softmax_ce");
  EXPECT_EQ(predict_logits(model, x), predict_logits(net, x));
  EXPECT_EQ(predict_proba(model, x, ce), predict_proba(net, x, ce));
  EXPECT_EQ(predict_classes(model, x), predict_classes(net, x));
  TrainData<double> data{x, {0, 1, 2, 0, 1, 2, 0, 1, 2}, {}};
  const Evaluation a = evaluate(model, data, ce), b = evaluate(net, data, ce);
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.accuracy, b.accuracy);
  EXPECT_EQ(evaluate_loss(model, data, ce), b.loss);
  EXPECT_EQ(evaluate_accuracy(model, data), evaluate_accuracy(net, data));
  d.blocks.emplace_back(std::in_place_type<Norm>);
  Model<double> norm_last(d, 21);
  EXPECT_THROW(predict_classes(norm_last, x), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::nn
