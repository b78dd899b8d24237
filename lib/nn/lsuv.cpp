#include "nn/lsuv.hpp"

#include <cmath>

#include "core/error.hpp"
#include "init/spec_args.hpp"
#include "init/detail.hpp"
#include "nn/activation.hpp"
#include "nn/dense.hpp"
#include "nn/residual.hpp"

namespace initlab::nn {

namespace {

// Population variance of every entry of h, accumulated in double.
template <class T>
double entry_variance(const Matrix<T>& h) {
  double s = 0.0, ss = 0.0;
  for (T v : h) {
    s += static_cast<double>(v);
    ss += static_cast<double>(v) * static_cast<double>(v);
  }
  const double n = static_cast<double>(h.size());
  const double mean = s / n;
  double c = 0.0;  // second pass: no cancellation when |mean| >> sd
  for (T v : h) c += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
  return ss == 0.0 ? 0.0 : c / n;
}

// Layer `layer`: W rescaled until Var(h) is within tol (or max_iter rescalings);
// forward() recomputes h from the current W.
template <class T, class Forward>
LsuvLayer fit_layer(std::size_t layer, Matrix<T>& W, const Matrix<T>& h, Forward forward,
                    const Lsuv& config) {
  LsuvLayer r;
  r.layer = layer;
  forward();
  r.variance = entry_variance(h);
  while (std::abs(r.variance - 1.0) > config.tol && r.rescalings < config.max_iter &&
         r.variance > 0.0 && std::isfinite(r.variance)) {
    const double f = 1.0 / std::sqrt(r.variance);
    W *= static_cast<T>(f);
    r.scale *= f;
    ++r.rescalings;
    forward();
    r.variance = entry_variance(h);
  }
  r.converged = std::abs(r.variance - 1.0) <= config.tol;
  return r;
}

}  // namespace

std::string Lsuv::spec() const {
  return cat("lsuv:tol=", init::detail::num(tol), ",max_iter=", max_iter);
}

bool is_lsuv(std::string_view spec) {
  return spec == "lsuv" || spec.substr(0, 5) == "lsuv:";
}

std::string drawn_spec(std::string_view spec) {
  return is_lsuv(spec) ? "orthogonal" : std::string(spec);
}

Lsuv parse_lsuv(std::string_view spec) {
  if (!is_lsuv(spec)) fail(spec, "expected lsuv[:tol=T,max_iter=N]");
  const init::SpecArgs a(spec);
  const auto o = a.options({"tol", "max_iter"}, "lsuv[:tol=T,max_iter=N]");
  Lsuv r;
  if (auto it = o.find("tol"); it != o.end()) {
    r.tol = a.number("tol", it->second);
    if (!(r.tol > 0.0 && r.tol < 1.0)) fail(spec, "tol must be in (0, 1)");
  }
  if (auto it = o.find("max_iter"); it != o.end()) {
    const double m = a.number("max_iter", it->second);
    if (!(m >= 1.0 && m <= 1000.0) || m != std::floor(m))
      fail(spec, "max_iter must be an integer in 1..1000");
    r.max_iter = static_cast<std::size_t>(m);
  }
  return r;
}

template <class T>
std::vector<LsuvLayer> lsuv(Network<T>& net, const Matrix<T>& x, const Lsuv& config) {
  if (x.dimension() != 2 || x.shape()[1] != net.widths().front())
    fail("nn::lsuv", "batch ", shape_str(x.shape()), ", expected (B, ", net.widths().front(), ")");
  std::vector<LsuvLayer> out;
  Matrix<T> a = x, h;
  for (std::size_t l = 1; l <= net.depth(); ++l) {
    out.push_back(fit_layer(l, net.W(l), h, [&] { dense_forward(h, a, net.W(l), net.b(l)); }, config));
    activate(a, h, net.activations()[l - 1]);
  }
  net.forward(x);
  return out;
}

// x -> block 1 -> block 2 -> ..., each dense layer fitted on its input before the
// pass goes on (a residual block: pre-norm, then its branch layers, then the sum).
template <class T>
std::vector<LsuvLayer> lsuv(Model<T>& model, const Matrix<T>& x, const Lsuv& config) {
  if (x.dimension() != 2 || x.shape()[1] != model.input_width() || x.shape()[0] == 0)
    fail("nn::lsuv", "batch ", shape_str(x.shape()), ", expected (B, ", model.input_width(), ") with B >= 1");
  std::vector<LsuvLayer> out;
  const auto fit = [&](DenseBlock<T>& d, const Matrix<T>& in) {
    out.push_back(fit_layer(out.size() + 1, d.W, d.h, [&] { dense_block_forward(d, in); }, config));
  };
  const Matrix<T>* in = &x;
  for (std::size_t k = 0; k < model.size(); ++k) {
    ModelBlock<T>& b = model.block(k);
    if (auto* d = std::get_if<DenseBlock<T>>(&b)) {
      fit(*d, *in);
    } else if (auto* n = std::get_if<NormBlock<T>>(&b)) {
      norm_block_forward(*n, *in);
    } else {
      auto& r = std::get<ResidualBlock<T>>(b);
      if (r.pre_norm) norm_block_forward(*r.pre_norm, *in);
      const Matrix<T>* z = r.pre_norm ? &r.pre_norm->y : in;
      for (DenseBlock<T>& layer : r.branch) {
        fit(layer, *z);
        z = &layer.a;
      }
      residual_block_forward(r, *in);
    }
    in = &model.output(k);
  }
  model.forward(x);
  return out;
}

template std::vector<LsuvLayer> lsuv<float>(Network<float>&, const Matrix<float>&, const Lsuv&);
template std::vector<LsuvLayer> lsuv<double>(Network<double>&, const Matrix<double>&, const Lsuv&);
template std::vector<LsuvLayer> lsuv<float>(Model<float>&, const Matrix<float>&, const Lsuv&);
template std::vector<LsuvLayer> lsuv<double>(Model<double>&, const Matrix<double>&, const Lsuv&);

}  // namespace initlab::nn
