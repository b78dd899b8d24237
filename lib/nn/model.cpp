#include "nn/model.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/buffer.hpp"
#include "nn/residual.hpp"
#include "random/stream.hpp"

namespace initlab::nn {

namespace {

// Draws the Model's parameters: dense layer j (1-based, in order) from root.split(2j)
// (W) and root.split(2j + 1) (b).
template <class T>
struct Builder {
  random::Stream root;
  std::size_t dense = 0;    // dense layers drawn so far
  std::size_t weights = 0;  // weights drawn so far (checked against kMaxEntries)

  // spec drawn into v, a row-major (out, in) matrix; errors name the block
  void fill(std::span<T> v, const std::string& spec, FanShape s, std::uint64_t split,
            const std::string& where, const char* what) {
    try {
      init::parse(spec)(v, s, root.split(split));
    } catch (const std::invalid_argument& e) {
      fail("Model", where, " ", what, ": ", e.what());
    }
  }

  DenseBlock<T> dense_block(const DenseLayer& d, std::size_t in, const std::string& where) {
    const std::size_t out = d.width;
    weights += checked_entries("Model", where + " W", out, in, sizeof(T));
    if (weights > kMaxEntries)
      fail("Model", where, ": ", weights, " weights up to here, which need ", weights * sizeof(T),
           " bytes; expected at most ", kMaxEntries, " weights (2^32) in all");
    ++dense;
    DenseBlock<T> b;
    b.activation = d.activation;
    b.W = Matrix<T>::from_shape({out, in});
    b.b = Vector<T>::from_shape({out});
    fill(std::span<T>(b.W.data(), b.W.size()), d.init, FanShape{out, in}, 2 * dense, where, "init");
    fill(std::span<T>(b.b.data(), b.b.size()), d.bias, FanShape{out, 1}, 2 * dense + 1, where,
         "bias");
    b.dW = xt::zeros<T>({out, in});
    b.db = xt::zeros<T>({out});
    return b;
  }

  static NormBlock<T> norm_block(const Norm& n, std::size_t width) {
    NormBlock<T> b;
    b.norm = n;
    if (n.affine) {
      b.gamma = xt::ones<T>({width});
      b.beta = xt::zeros<T>({width});
      b.dgamma = xt::zeros<T>({width});
      b.dbeta = xt::zeros<T>({width});
    }
    return b;
  }

  ResidualBlock<T> residual_block(const Residual& r, std::size_t in, const std::string& where) {
    ResidualBlock<T> b;
    b.alpha = static_cast<T>(r.alpha);
    if (r.pre_norm) b.pre_norm = norm_block(*r.pre_norm, in);
    std::size_t w = in;
    for (std::size_t j = 0; j < r.branch.size(); ++j) {
      b.branch.push_back(dense_block(r.branch[j], w, cat(where, " branch layer ", j + 1)));
      w = r.branch[j].width;
    }
    return b;
  }
};

// The buffer holding dL/d(output) of a block.
template <class T>
Matrix<T>& output_grad(ModelBlock<T>& b) {
  if (auto* d = std::get_if<DenseBlock<T>>(&b)) return d->da;
  if (auto* n = std::get_if<NormBlock<T>>(&b)) return n->dy;
  return std::get<ResidualBlock<T>>(b).dy;
}

template <class T>
const Matrix<T>& block_output(const ModelBlock<T>& b) {
  if (const auto* d = std::get_if<DenseBlock<T>>(&b)) return d->a;
  if (const auto* n = std::get_if<NormBlock<T>>(&b)) return n->y;
  return std::get<ResidualBlock<T>>(b).y;
}

template <class T>
void add(std::vector<Parameter<T>>& out, std::string name, Matrix<T>& v, const Matrix<T>& g) {
  out.push_back({std::move(name), std::span<T>(v.data(), v.size()),
                 std::span<const T>(g.data(), g.size()), v.shape()[0], v.shape()[1]});
}

template <class T>
void add(std::vector<Parameter<T>>& out, std::string name, Vector<T>& v, const Vector<T>& g) {
  out.push_back({std::move(name), std::span<T>(v.data(), v.size()),
                 std::span<const T>(g.data(), g.size()), v.size(), 1});
}

template <class T>
void add_dense(std::vector<Parameter<T>>& out, const std::string& where, DenseBlock<T>& d) {
  add(out, where + " W", d.W, d.dW);
  add(out, where + " b", d.b, d.db);
}

template <class T>
void add_norm(std::vector<Parameter<T>>& out, const std::string& where, NormBlock<T>& n) {
  if (!n.norm.affine) return;
  add(out, where + " gamma", n.gamma, n.dgamma);
  add(out, where + " beta", n.beta, n.dbeta);
}

}  // namespace

template <class T>
Model<T>::Model(const NetDescription& net, std::uint64_t seed, int threads) : net_(net) {
  net_.validate();
  if (threads < 1) fail("Model", "threads = ", threads, "; expected >= 1");
  Builder<T> build{random::Stream(seed, 0, threads)};
  std::size_t in = net_.input;
  for (std::size_t k = 0; k < net_.blocks.size(); ++k) {
    const std::string where = cat("block ", k + 1);
    const Block& b = net_.blocks[k];
    if (const auto* d = std::get_if<DenseLayer>(&b)) {
      blocks_.emplace_back(build.dense_block(*d, in, where));
      in = d->width;
    } else if (const auto* n = std::get_if<Norm>(&b)) {
      blocks_.emplace_back(Builder<T>::norm_block(*n, in));
    } else {
      blocks_.emplace_back(build.residual_block(std::get<Residual>(b), in, where));
    }
  }
}

template <class T>
std::size_t Model<T>::parameter_count() const {
  const auto dense = [](const DenseBlock<T>& d) { return d.W.size() + d.b.size(); };
  const auto norm = [](const NormBlock<T>& n) { return n.gamma.size() + n.beta.size(); };
  std::size_t count = 0;
  for (const ModelBlock<T>& b : blocks_) {
    if (const auto* d = std::get_if<DenseBlock<T>>(&b)) {
      count += dense(*d);
    } else if (const auto* n = std::get_if<NormBlock<T>>(&b)) {
      count += norm(*n);
    } else {
      const auto& r = std::get<ResidualBlock<T>>(b);
      if (r.pre_norm) count += norm(*r.pre_norm);
      for (const auto& d : r.branch) count += dense(d);
    }
  }
  return count;
}

template <class T>
const Matrix<T>& Model<T>::output(std::size_t k) const {
  return block_output(blocks_.at(k));
}

template <class T>
const Matrix<T>& Model<T>::output_gradient(std::size_t k) const {
  const ModelBlock<T>& b = blocks_.at(k);
  if (const auto* d = std::get_if<DenseBlock<T>>(&b)) return d->da;
  if (const auto* n = std::get_if<NormBlock<T>>(&b)) return n->dy;
  return std::get<ResidualBlock<T>>(b).dy;
}

// x (B, n_0) -> block 0 -> block 1 -> ... -> output (B, n_out)
template <class T>
const Matrix<T>& Model<T>::forward(const Matrix<T>& x) {
  if (x.shape()[1] != net_.input || x.shape()[0] == 0)
    fail("Model::forward", "input x ", shape_str(x.shape()), "; expected (B, ", net_.input,
         ") with B >= 1");
  ensure_shape(x_, x.shape()[0], x.shape()[1]);
  std::copy(x.data(), x.data() + x.size(), x_.data());
  const Matrix<T>* in = &x_;
  for (ModelBlock<T>& b : blocks_) {
    if (auto* d = std::get_if<DenseBlock<T>>(&b)) {
      dense_block_forward(*d, *in);
    } else if (auto* n = std::get_if<NormBlock<T>>(&b)) {
      norm_block_forward(*n, *in);
    } else {
      residual_block_forward(std::get<ResidualBlock<T>>(b), *in);
    }
    in = &block_output(b);
  }
  return *in;
}

template <class T>
void Model<T>::backward(const Matrix<T>& dout, bool input_gradient) {
  backward_from(dout, false, input_gradient, "Model::backward");
}

template <class T>
void Model<T>::backward_logits(const Matrix<T>& dh, bool input_gradient) {
  if (!std::holds_alternative<DenseBlock<T>>(blocks_.back()))
    fail("Model::backward_logits", "the last block (block ", size(),
         ") is not a dense layer; expected a dense last block whose dL/dh is given");
  backward_from(dh, true, input_gradient, "Model::backward_logits");
}

// seed (B, n_out) -> for k = K-1..0: block k's backward from dL/d(its output), writing
// dL/d(its input) into block k-1's output gradient (or dx_ for k = 0)
template <class T>
void Model<T>::backward_from(const Matrix<T>& seed, bool logits, bool input_gradient,
                             const char* func) {
  const std::size_t B = x_.shape()[0];
  if (B == 0 || output().shape()[0] != B)
    fail(func, "no forward pass to differentiate; call forward(x) first");
  if (seed.shape()[0] != B || seed.shape()[1] != output_width())
    fail(func, "gradient ", shape_str(seed.shape()), "; expected (", B, ", ", output_width(),
         ") matching the last forward pass");
  Matrix<T>& top = logits ? std::get<DenseBlock<T>>(blocks_.back()).dh : output_grad(blocks_.back());
  ensure_shape(top, B, output_width());
  std::copy(seed.data(), seed.data() + seed.size(), top.data());
  for (std::size_t k = size(); k-- > 0;) {
    const Matrix<T>& in = k == 0 ? x_ : output(k - 1);
    Matrix<T>* din = k == 0 ? (input_gradient ? &dx_ : nullptr) : &output_grad(blocks_[k - 1]);
    ModelBlock<T>& b = blocks_[k];
    if (auto* d = std::get_if<DenseBlock<T>>(&b)) {
      dense_block_backward(din, *d, in, logits && k + 1 == size());
    } else if (auto* n = std::get_if<NormBlock<T>>(&b)) {
      norm_block_backward(din ? *din : dx_, *n);
    } else {
      residual_block_backward(din, std::get<ResidualBlock<T>>(b), in);
    }
  }
}

template <class T>
std::vector<Parameter<T>> Model<T>::parameters() {
  std::vector<Parameter<T>> out;
  for (std::size_t k = 0; k < size(); ++k) {
    const std::string where = cat("block ", k + 1);
    if (auto* d = std::get_if<DenseBlock<T>>(&blocks_[k])) {
      add_dense(out, where, *d);
    } else if (auto* n = std::get_if<NormBlock<T>>(&blocks_[k])) {
      add_norm(out, where, *n);
    } else {
      auto& r = std::get<ResidualBlock<T>>(blocks_[k]);
      if (r.pre_norm) add_norm(out, where + " pre-norm", *r.pre_norm);
      for (std::size_t j = 0; j < r.branch.size(); ++j)
        add_dense(out, cat(where, " branch ", j + 1), r.branch[j]);
    }
  }
  return out;
}

template class Model<float>;
template class Model<double>;

}  // namespace initlab::nn
