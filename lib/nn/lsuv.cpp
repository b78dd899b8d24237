#include "nn/lsuv.hpp"

#include <cmath>

#include "core/error.hpp"
#include "init/spec_args.hpp"
#include "init/detail.hpp"
#include "nn/activation.hpp"
#include "nn/dense.hpp"

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
    LsuvLayer r;
    r.layer = l;
    dense_forward(h, a, net.W(l), net.b(l));
    r.variance = entry_variance(h);
    while (std::abs(r.variance - 1.0) > config.tol && r.rescalings < config.max_iter &&
           r.variance > 0.0 && std::isfinite(r.variance)) {
      const double f = 1.0 / std::sqrt(r.variance);
      net.W(l) *= static_cast<T>(f);
      r.scale *= f;
      ++r.rescalings;
      dense_forward(h, a, net.W(l), net.b(l));
      r.variance = entry_variance(h);
    }
    r.converged = std::abs(r.variance - 1.0) <= config.tol;
    out.push_back(r);
    activate(a, h, net.activations()[l - 1]);
  }
  net.forward(x);
  return out;
}

template std::vector<LsuvLayer> lsuv<float>(Network<float>&, const Matrix<float>&, const Lsuv&);
template std::vector<LsuvLayer> lsuv<double>(Network<double>&, const Matrix<double>&, const Lsuv&);

}  // namespace initlab::nn
