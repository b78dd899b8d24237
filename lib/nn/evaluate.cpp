// The scores of a net on a data set (nn/trainer.hpp): loss and accuracy from one
// evaluation pass, and the loss's gradient at the output layer, for a Network and
// for a Model.

#include <span>

#include "core/error.hpp"
#include "nn/predict.hpp"
#include "nn/score_pass.hpp"
#include "nn/trainer.hpp"

namespace initlab::nn {

using detail::check_data;
using detail::EvalBuffers;
using detail::evaluate_pass;
using detail::output_loss;

template <class T>
double loss_and_gradient(Matrix<T>& dh, Matrix<T>& da, const LayerCache<T>& top, Activation out,
                         Loss loss, std::span<const std::size_t> labels, const Matrix<T>& Y) {
  return output_loss(dh, da, top, out, loss, labels, Y);
}

template <class T>
double evaluate_loss(const Network<T>& net, const TrainData<T>& data, Loss loss) {
  check_data("evaluate_loss", net, data, loss, "data");
  EvalBuffers<T> e;
  return evaluate_pass(net, data, loss, e).first;
}

template <class T>
Evaluation evaluate(const Network<T>& net, const TrainData<T>& data, Loss loss) {
  check_data("evaluate", net, data, loss, "data");
  EvalBuffers<T> e;
  const auto [l, a] = evaluate_pass(net, data, loss, e);
  return {l, a};
}

template <class T>
double evaluate_accuracy(const Network<T>& net, const TrainData<T>& data) {
  if (data.labels.size() != data.size())
    fail("evaluate_accuracy", data.labels.size(), " labels for ", data.size(), " rows; expected ",
         data.size());
  return accuracy(std::span<const std::size_t>(predict_classes(net, data.X)),
                  std::span<const std::size_t>(data.labels));
}

template <class T>
double loss_and_gradient(Matrix<T>& dh, Matrix<T>& da, const DenseBlock<T>& top, Activation out,
                         Loss loss, std::span<const std::size_t> labels, const Matrix<T>& Y) {
  return output_loss(dh, da, top, out, loss, labels, Y);
}

template <class T>
Evaluation evaluate(Model<T>& model, const TrainData<T>& data, Loss loss) {
  check_data("evaluate", model, data, loss, "data");
  EvalBuffers<T> e;
  const auto [l, a] = evaluate_pass(model, data, loss, e);
  return {l, a};
}

template <class T>
double evaluate_loss(Model<T>& model, const TrainData<T>& data, Loss loss) {
  check_data("evaluate_loss", model, data, loss, "data");
  EvalBuffers<T> e;
  return evaluate_pass(model, data, loss, e).first;
}

template <class T>
double evaluate_accuracy(Model<T>& model, const TrainData<T>& data) {
  if (data.labels.size() != data.size())
    fail("evaluate_accuracy", data.labels.size(), " labels for ", data.size(), " rows; expected ",
         data.size());
  return accuracy(std::span<const std::size_t>(predict_classes(model, data.X)),
                  std::span<const std::size_t>(data.labels));
}

#define INITLAB_EVALUATE_MODEL_INSTANTIATE(T)                                                 \
  template double loss_and_gradient<T>(Matrix<T>&, Matrix<T>&, const DenseBlock<T>&,          \
                                       Activation, Loss, std::span<const std::size_t>,        \
                                       const Matrix<T>&);                                     \
  template Evaluation evaluate<T>(Model<T>&, const TrainData<T>&, Loss);                      \
  template double evaluate_loss<T>(Model<T>&, const TrainData<T>&, Loss);                     \
  template double evaluate_accuracy<T>(Model<T>&, const TrainData<T>&);

INITLAB_EVALUATE_MODEL_INSTANTIATE(float)
INITLAB_EVALUATE_MODEL_INSTANTIATE(double)
#undef INITLAB_EVALUATE_MODEL_INSTANTIATE

#define INITLAB_EVALUATE_INSTANTIATE(T)                                                       \
  template double evaluate_loss<T>(const Network<T>&, const TrainData<T>&, Loss);           \
  template Evaluation evaluate<T>(const Network<T>&, const TrainData<T>&, Loss);            \
  template double evaluate_accuracy<T>(const Network<T>&, const TrainData<T>&);             \
  template double loss_and_gradient<T>(Matrix<T>&, Matrix<T>&, const LayerCache<T>&,        \
                                       Activation, Loss, std::span<const std::size_t>,      \
                                       const Matrix<T>&);

INITLAB_EVALUATE_INSTANTIATE(float)
INITLAB_EVALUATE_INSTANTIATE(double)
#undef INITLAB_EVALUATE_INSTANTIATE

}  // namespace initlab::nn
