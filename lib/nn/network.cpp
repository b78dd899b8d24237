#include "nn/network.hpp"

#include <span>

#include "core/error.hpp"
#include "nn/buffer.hpp"
#include "nn/dense.hpp"
#include "random/stream.hpp"

namespace initlab::nn {

namespace {

// One entry per layer from a list of 1 (shared) or L entries.
template <class V>
std::vector<V> per_layer(const std::vector<V>& given, std::size_t L, const char* what) {
  if (given.size() == L) return given;
  if (given.size() == 1) return std::vector<V>(L, given.front());
  fail("Network", given.size(), " ", what, " for ", L, " layers; expected 1 (used for every layer) or ", L);
}

}  // namespace

template <class T>
Network<T>::Network(const NetworkConfig& config) : widths_(config.widths) {
  if (widths_.size() < 2)
    fail("Network", "widths ", shape_str(widths_), " have ", widths_.size(),
         " entries; expected at least 2 (n_0, n_1, ..., n_L)");
  for (std::size_t i = 0; i < widths_.size(); ++i)
    if (widths_[i] == 0)
      fail("Network", "widths ", shape_str(widths_), ": n_", i, " = 0; expected every width > 0");
  if (config.threads < 1) fail("Network", "threads = ", config.threads, "; expected >= 1");
  const std::size_t L = widths_.size() - 1;
  activations_ = per_layer(config.activations, L, "activations");
  const std::vector<std::string> specs = per_layer(config.inits, L, "init specs");

  const init::Initializer bias_init = init::parse(config.bias_init);
  const random::Stream root(config.seed, 0, config.threads);
  W_.resize(L);
  b_.resize(L);
  for (std::size_t l = 1; l <= L; ++l) {
    const std::size_t out = widths_[l], in = widths_[l - 1];
    const init::Initializer weight_init = init::parse(specs[l - 1]);
    Matrix<T>& W = W_[l - 1];
    W.resize({out, in});
    weight_init(std::span<T>(W.data(), W.size()), FanShape{out, in}, root.split(2 * l));
    Vector<T>& b = b_[l - 1];
    b.resize({out});
    bias_init(std::span<T>(b.data(), b.size()), FanShape{out, 1}, root.split(2 * l + 1));
  }
  cache_.resize(L);
  grads_.dW.resize(L);
  grads_.db.resize(L);
  grads_.dh.resize(L);
  da_.resize(L);
}

template <class T>
std::size_t Network<T>::parameter_count() const {
  std::size_t n = 0;
  for (std::size_t l = 1; l < widths_.size(); ++l) n += widths_[l] * (widths_[l - 1] + 1);
  return n;
}

// x (B, n_0) -> out[l-1] = (h^l (B, n_l), a^l (B, n_l)), l = 1..L
template <class T>
void Network<T>::forward(const Matrix<T>& x, std::vector<LayerCache<T>>& out) const {
  if (x.shape()[1] != widths_[0] || x.shape()[0] == 0)
    fail("Network::forward", "input x ", shape_str(x.shape()), "; expected (B, ", widths_[0],
         ") with B >= 1");
  out.resize(depth());
  const Matrix<T>* prev = &x;
  for (std::size_t l = 0; l < depth(); ++l) {
    dense_forward(out[l].h, *prev, W_[l], b_[l]);
    activate(out[l].a, out[l].h, activations_[l]);
    prev = &out[l].a;
  }
}

template <class T>
const Matrix<T>& Network<T>::forward(const Matrix<T>& x) {
  if (x.shape()[1] != widths_[0] || x.shape()[0] == 0)
    fail("Network::forward", "input x ", shape_str(x.shape()), "; expected (B, ", widths_[0],
         ") with B >= 1");
  ensure_shape(x_, x.shape()[0], x.shape()[1]);
  std::copy(x.data(), x.data() + x.size(), x_.data());
  forward(x_, cache_);
  return cache_.back().a;
}

// dh^L (B, n_L) -> for l = L..1:
//   dW^l = (dh^l)^T a^{l-1},  db^l = sum_B dh^l,  da^{l-1} = dh^l W^l,
//   dh^{l-1} = da^{l-1} * phi_{l-1}'(h^{l-1})
template <class T>
const Gradients<T>& Network<T>::backward(const Matrix<T>& dh_last) {
  const std::size_t L = depth(), B = x_.shape()[0];
  if (cache_.back().h.shape()[0] != B || cache_.back().h.size() == 0 || B == 0)
    fail("Network::backward", "no forward pass to differentiate; call forward(x) first");
  if (dh_last.shape()[0] != B || dh_last.shape()[1] != widths_[L])
    fail("Network::backward", "dh_last ", shape_str(dh_last.shape()), "; expected (", B, ", ",
         widths_[L], ") matching the last forward pass");
  Matrix<T>& top = grads_.dh[L - 1];
  ensure_shape(top, B, widths_[L]);
  std::copy(dh_last.data(), dh_last.data() + dh_last.size(), top.data());
  for (std::size_t l = L; l >= 1; --l) {
    const Matrix<T>& prev = l == 1 ? x_ : cache_[l - 2].a;
    Matrix<T>* da = l == 1 ? nullptr : &da_[l - 2];
    dense_backward(da, grads_.dW[l - 1], grads_.db[l - 1], grads_.dh[l - 1], prev, W_[l - 1]);
    if (l > 1)
      activate_backward(grads_.dh[l - 2], *da, cache_[l - 2].h, cache_[l - 2].a,
                        activations_[l - 2]);
  }
  return grads_;
}

template class Network<float>;
template class Network<double>;

}  // namespace initlab::nn
